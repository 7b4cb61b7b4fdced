from django.contrib.auth.decorators import login_not_required
from django.shortcuts import redirect, render
from django.templatetags.static import static


def home(request):
    """A start page that points each person at what their roles can do."""
    return render(request, "home.html")


@login_not_required
def favicon(request):
    """Browsers ask for /favicon.ico on a first visit; unanswered, it is a console 404."""
    return redirect(static("img/favicon.svg"), permanent=True)
