from django.urls import path

from . import views

urlpatterns = [
    path("<slug:slug>/personnes/", views.people, name="console_people"),
    path("<slug:slug>/personnes/<uuid:public_id>/", views.person, name="console_person"),
    path("<slug:slug>/personnes/<uuid:public_id>/retirer/", views.remove, name="console_remove"),
    path("<slug:slug>/personnes/<uuid:public_id>/transferer/", views.transfer, name="console_transfer"),
    path("<slug:slug>/personnes/<uuid:public_id>/donner-une-place/", views.promote, name="console_promote"),
    path("retraits/<uuid:public_id>/", views.bulk_removal, name="console_bulk_removal"),
]
