from django.contrib.auth.decorators import login_not_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.templatetags.static import static

from . import mailbox, needs


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


def dev_mailbox(request):
    """Development only: the emails Keel sent, as the file email backend wrote them.

    404 unless DEBUG is on and mail goes to files (``make run``), and for anyone but an
    admin, so no production setting can expose it.
    """
    if not mailbox.enabled() or not request.user.is_admin:
        raise Http404
    folder = mailbox.directory()
    mails, total = mailbox.read(folder)
    return render(
        request,
        "home/dev_mailbox.html",
        {"mails": mails, "total": total, "folder": folder, "shown": mailbox.SHOWN},
    )
