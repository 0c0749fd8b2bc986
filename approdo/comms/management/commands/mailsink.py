"""A local SMTP server that keeps every message as a .eml file (demo and manual testing)."""

import time
import uuid
from pathlib import Path

from aiosmtpd.controller import Controller
from django.core.management.base import BaseCommand


class SaveToFolder:
    def __init__(self, folder: Path):
        self.folder = folder

    async def handle_DATA(self, server, session, envelope):
        name = f"{time.strftime('%Y%m%d-%H%M%S')}-{uuid.uuid4().hex[:8]}.eml"
        (self.folder / name).write_bytes(envelope.original_content or envelope.content)
        return "250 Message accepted for delivery"


class Command(BaseCommand):
    help = "Avvia un server SMTP locale che salva la posta in una cartella (per la demo)."

    def add_arguments(self, parser):
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument("--port", type=int, default=8025)
        parser.add_argument("--folder", required=True)

    def handle(self, *args, host, port, folder, **options):
        target = Path(folder)
        target.mkdir(parents=True, exist_ok=True)
        controller = Controller(SaveToFolder(target), hostname=host, port=port)
        controller.start()
        self.stdout.write(f"Posta della demo salvata in {target} (SMTP {host}:{port})")
        try:
            while True:
                time.sleep(3600)
        except KeyboardInterrupt:
            controller.stop()
