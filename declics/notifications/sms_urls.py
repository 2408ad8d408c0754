from django.urls import path

from . import sms_views

urlpatterns = [
    path("reponses/", sms_views.inbound, name="sms_inbound"),
]
