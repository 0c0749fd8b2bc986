from email import policy
from email.parser import BytesParser
from pathlib import Path

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from approdo.accounts.permissions import capability_required
from approdo.accounts.roles import EDIT_PEOPLE, VIEW_DEMO_MAILBOX

from .models import OutboundEmail
from .services import resend_email


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


@require_POST
@capability_required(EDIT_PEOPLE)
def resend(request, pk: int):
    email = get_object_or_404(OutboundEmail, pk=pk)
    try:
        resend_email(email=email, to=request.POST.get("to", ""))
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, f"E-mail «{email.subject}» di nuovo in partenza.")
    target = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        target = reverse("home")
    return redirect(target)
