import os

from django.core.wsgi import get_wsgi_application

from approdo.embedded_db import configure_database

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "approdo.settings")
configure_database()
application = get_wsgi_application()
