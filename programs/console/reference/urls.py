from django.urls import path

from . import views

urlpatterns = [
    path("donnees-de-reference/", views.reference_data, name="reference_data"),
    path("donnees-de-reference/import/", views.zoning_upload, name="zoning_upload"),
    path("donnees-de-reference/import/<int:pk>/", views.zoning_import, name="zoning_import"),
]
