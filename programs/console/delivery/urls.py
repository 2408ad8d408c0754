from django.urls import path

from . import views

urlpatterns = [
    path("envois/", views.delivery, name="console_delivery"),
    path("envois/<int:pk>/renvoyer/", views.resend, name="console_delivery_resend"),
]
