from email import policy
from email.parser import BytesParser
from pathlib import Path

from django.conf import settings
from django.http import Http404
from django.shortcuts import render

from approdo.accounts.permissions import capability_required
from approdo.accounts.roles import VIEW_DEMO_MAILBOX


@capability_required(VIEW_DEMO_MAILBOX)
def demo_mailbox(request):
    """The messages the demo's local mail server received (demo installations only)."""
    if not settings.DEMO_MAILBOX_DIR:
        raise Http404("La casella dimostrativa non è attiva.")
    files = sorted(Path(settings.DEMO_MAILBOX_DIR).glob("*.eml"), reverse=True)[:100]
    mails = []
    for file in files:
        message = BytesParser(policy=policy.default).parse(file.open("rb"))
        body = message.get_body(preferencelist=("plain",))
        mails.append(
            {
                "to": message["To"],
                "subject": message["Subject"],
                "date": message["Date"],
                "body": body.get_content() if body else "",
                "attachments": [part.get_filename() for part in message.iter_attachments()],
            }
        )
    return render(request, "comms/mailbox.html", {"mails": mails})
