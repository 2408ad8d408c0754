"""Launch-a-region templates: thin views over `programs.services.templates`."""

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from declics.accounts.permissions import staff_required
from declics.errors import form_error, form_status
from programs import selectors, services
from programs.models import Session, SessionTemplate

from .forms import LaunchFromTemplateForm, SaveTemplateForm


@staff_required
@require_GET
def template_list(request):
    templates = SessionTemplate.objects.select_related("source", "created_by").order_by("name")
    return render(request, "programs/console/templates/list.html", {"templates": templates})


@staff_required
def save_as_template(request, slug):
    session = get_object_or_404(selectors.session_with_calendar(Session.objects.all()), slug=slug)
    form = SaveTemplateForm(request.POST or None, initial={"name": session.title})
    if request.method == "POST" and form.is_valid():
        try:
            services.save_session_as_template(
                session=session, name=form.cleaned_data["name"], by=request.user
            )
        except services.SessionError as error:
            form_error(form, error, field="name")
        else:
            messages.success(
                request, _("Modèle enregistré : vous pouvez lancer une région depuis ce modèle.")
            )
            return redirect("programs:template_list")
    return render(
        request,
        "programs/console/templates/save.html",
        {"session": session, "form": form},
        status=form_status(form),
    )


@staff_required
def launch_from_template(request):
    initial = {}
    chosen = request.GET.get("modele", "")
    if chosen.isdigit():
        template = SessionTemplate.objects.filter(pk=chosen).first()
        if template:
            initial = {"template": template, "capacity": template.capacity}
    form = LaunchFromTemplateForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            session = services.launch_from_template(
                template=data["template"],
                title=data["title"],
                region=data["region"],
                departements=data["departements"],
                starts_at=data["starts_at"],
                capacity=data["capacity"],
                by=request.user,
            )
        except services.SessionError as error:
            form_error(form, error)
        else:
            messages.success(
                request, _("Brouillon enregistré depuis le modèle. Vérifiez l'aperçu, puis publiez.")
            )
            return redirect("programs:preview", slug=session.slug)
    return render(request, "programs/console/templates/launch.html", {"form": form}, status=form_status(form))
