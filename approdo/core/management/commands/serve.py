from django.conf import settings
from django.core.management.base import BaseCommand
from gunicorn.app.base import BaseApplication


class _Gunicorn(BaseApplication):
    def __init__(self, options):
        self.options = options
        super().__init__()

    def load_config(self):
        for key, value in self.options.items():
            self.cfg.set(key, value)

    def load(self):
        from approdo.wsgi import application

        return application


def _worker_ready(worker):
    from approdo.core.serving import worker_started

    worker_started()


class Command(BaseCommand):
    help = "Avvia il server web (gunicorn) con i file statici serviti localmente."

    def add_arguments(self, parser):
        parser.add_argument("--bind", default="127.0.0.1:8000")
        parser.add_argument("--workers", type=int, default=3)

    def handle(self, *args, bind, workers, **options):
        from django.db import connections

        # Forked workers must not share a database connection opened before the fork.
        connections.close_all()
        self.stdout.write(f"Approdo in ascolto su http://{bind}/")
        _Gunicorn(
            {
                "bind": bind,
                "workers": workers,
                "accesslog": "-",
                "timeout": 60,
                "post_worker_init": _worker_ready,
                # In the data folder, not the home folder: two instances on a host never collide.
                "control_socket": str(settings.DATA_DIR / f"gunicorn-{bind.replace(':', '-')}.ctl"),
            }
        ).run()
