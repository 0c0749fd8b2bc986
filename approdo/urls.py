from django.contrib.auth.decorators import login_not_required
from django.http import HttpResponse
from django.shortcuts import redirect
from django.templatetags.static import static
from django.urls import include, path

from approdo.accounts import views as account_views


@login_not_required
def health(request):
    return HttpResponse("ok", content_type="text/plain")


@login_not_required
def favicon(request):
    # Browsers ask for /favicon.ico whatever the page says.
    return redirect(static("approdo/favicon.svg"), permanent=True)


urlpatterns = [
    path("favicon.ico", favicon, name="favicon"),
    path("", account_views.home, name="home"),
    path("salute/", health, name="health"),
    path("logo", account_views.programme_logo, name="programme_logo"),
    path("", include("approdo.accounts.urls")),
    path("portale/", include("approdo.portal.urls")),
    path("lavoro/", include("approdo.people.urls")),
    path("accoglienza/", include("approdo.intake.urls")),
    path("esportazioni/", include("approdo.exports.urls")),
    path("registro/", include("approdo.audit.urls")),
    path("posta/", include("approdo.comms.urls")),
    path("aziende/", include("approdo.companies.urls")),
    path("richieste/", include("approdo.vacancies.urls")),
    path("abbinamento/", include("approdo.matching.urls")),
    path("inserimenti/", include("approdo.placements.urls")),
    path("professioni/", include("approdo.occupations.urls")),
    path("importazione/", include("approdo.legacy.urls")),
    path("cifre/", include("approdo.reports.urls")),
    path("lavoro-quotidiano/", include("approdo.casework.urls")),
    path("comunicazioni/", include("approdo.mailings.urls")),
    path("questionari/", include("approdo.surveys.urls")),
    path("eventi/", include("approdo.events.urls")),
    path("fiera/", include("approdo.jobfair.urls")),
    path("area/", include("approdo.area.urls")),
    path("", include("approdo.partners.urls")),  # partner/
    path("", include("approdo.projects.urls")),  # progetti/, contributi/, bandi/
    path("", include("approdo.training.urls")),  # ips/, corsi/
]

handler400 = "approdo.accounts.views.bad_request"
handler403 = "approdo.accounts.views.forbidden"
handler500 = "approdo.core.views.server_error"
