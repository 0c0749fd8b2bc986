import logging
import threading
import time

from django.core.management.base import BaseCommand
from django.db import InterfaceError, OperationalError, connections
from django_tasks_db.management.commands.db_worker import Worker

from approdo.core import workers

logger = logging.getLogger("approdo.worker")

# Waits between reconnection attempts while the database is unreachable.
MAX_RECONNECT_WAIT = 30


class Command(BaseCommand):
    help = (
        "Avvia il worker che esegue i lavori in coda (e-mail, esportazioni, importazioni, "
        "promemoria); sopravvive ai riavvii del database."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--batch", action="store_true", help="Esegue i lavori pronti e termina."
        )

    def handle(self, *args, batch, **options):
        logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s %(message)s")
        worker_id = workers.new_worker_id()
        stop = threading.Event()
        if not batch:
            threading.Thread(target=_keep_beating, args=(worker_id, stop), daemon=True).start()
        wait = 1
        try:
            while True:
                try:
                    workers.beat(worker_id)
                    workers.requeue_own_jobs(worker_id)
                    workers.requeue_abandoned_jobs()
                    worker = Worker(
                        queue_names=["default"],
                        interval=1,
                        batch=batch,
                        backend_name="default",
                        startup_delay=False,
                        max_tasks=None,
                        worker_id=worker_id,
                        excluded_queue_names=[],
                    )
                    worker.configure_signals()
                    wait = 1
                    worker.run()
                    return
                except (OperationalError, InterfaceError) as error:
                    # The database restarted or is unreachable: the job it was running (if
                    # any) is given back by the lease; wait and start again.
                    logger.warning(
                        "Database non raggiungibile (%s): nuovo tentativo tra %s s", error, wait
                    )
                    connections.close_all()
                    time.sleep(wait)
                    wait = min(wait * 2, MAX_RECONNECT_WAIT)
        finally:
            stop.set()
            try:
                workers.forget(worker_id)
            except (OperationalError, InterfaceError):
                pass


def _keep_beating(worker_id: str, stop: threading.Event) -> None:
    """Heartbeats (and the hand-back of vanished workers' jobs) from a thread of their own,
    so that a long job does not look like a dead worker."""
    while not stop.wait(workers.heartbeat_every().total_seconds()):
        try:
            workers.beat(worker_id)
            workers.requeue_abandoned_jobs()
        except (OperationalError, InterfaceError):
            connections.close_all()
