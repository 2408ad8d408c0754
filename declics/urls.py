from django.conf import settings
from django.contrib import admin
from django.urls import include, path

from declics.notifications import views as notification_views

from . import views
from .operations import health
from .operations import views as operations_views

urlpatterns = [
    path("", views.home, name="home"),
    path("healthz", views.healthz, name="healthz"),  # liveness (README "Operations")
    path("readyz", health.ReadinessView.as_view(), name="readyz"),  # readiness
    path("metrics", operations_views.metrics, name="metrics"),  # Prometheus, with METRICS_TOKEN
    path("hello", views.hello, name="hello"),
    path("mentions-legales/", views.legal_notice, name="legal_notice"),
    path("confidentialite/", views.privacy, name="privacy"),
    path("accessibilite/", views.accessibility, name="accessibility"),
    # The language switcher, which also stores the choice on the account (before Django's own).
    path("i18n/setlang/", notification_views.set_language, name="set_language"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("", include("declics.notifications.urls")),
    path("comptes/", include("allauth.urls")),
    path("compte/", include("declics.accounts.urls")),
    path("compte/", include("declics.privacy.urls")),
    path("territoires/", include("declics.territories.urls")),
    path("sms/", include("declics.notifications.sms_urls")),  # the SMS provider's callbacks
    path("sessions/", include("programs.urls")),
    path("", include("mentoring.urls")),  # step 3: /sessions/<slug>/mentorat/… and /mentorat/…
    # Steps 5 and 6: job-seeker pages under /sessions/<slug>/…, partners' pages under /emplois/.
    path("", include("jobs.urls")),
    path(settings.ADMIN_URL, admin.site.urls),
]
