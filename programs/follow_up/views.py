"""Answering a survey from the e-mail link, without logging in (the link carries a signed token)."""

from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_protect

from declics.errors import form_error, form_status

from ..models import SurveyKind
from ..services import surveys as services
from .forms import FollowUpForm, SatisfactionForm


@never_cache
@csrf_protect
def survey_answer(request, token):
    try:
        response = services.load_response(token=token)
    except (services.SurveyTokenExpired, services.SurveyTokenInvalid) as error:  # 410, 404
        return render(
            request, "programs/follow_up/invalid.html", {"message": error.message}, status=error.status
        )
    session = response.enrolment.session
    if response.answered_at is not None:
        return render(request, "programs/follow_up/thanks.html", {"session": session, "already": True})
    satisfaction = response.kind == SurveyKind.SATISFACTION
    form_class = SatisfactionForm if satisfaction else FollowUpForm
    form = form_class(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        if satisfaction:
            answer = services.Answer(
                overall=data["overall"],
                step_usefulness=form.step_usefulness(),
                would_recommend=data["would_recommend"],
                comment=data["comment"],
            )
        else:
            answer = services.Answer(
                situation=data["situation"],
                contract=data.get("contract") or "",
                rome_code=data.get("rome_code") or "",
                comment=data["comment"],
            )
        try:
            services.record_answer(response=response, answer=answer)
        except services.SurveyError as error:
            form_error(form, error)
        else:
            return render(request, "programs/follow_up/thanks.html", {"session": session, "already": False})
    return render(
        request,
        "programs/follow_up/answer.html",
        {"session": session, "response": response, "form": form},
        status=form_status(form),
    )
