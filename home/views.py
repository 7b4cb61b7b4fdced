from django.contrib.auth.decorators import login_not_required
from django.shortcuts import redirect, render
from django.templatetags.static import static

from . import needs


def home(request):
    """What needs the person now, per role; when nothing does, their usual pages."""
    sections = needs.sections_for(request.user)
    return render(
        request,
        "home.html",
        {"sections": sections, "waiting": sum(section.count for section in sections)},
    )


@login_not_required
def favicon(request):
    """Browsers ask for /favicon.ico on a first visit; unanswered, it is a console 404."""
    return redirect(static("img/favicon.svg"), permanent=True)
