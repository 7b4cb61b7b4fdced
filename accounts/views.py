from django.shortcuts import render


def home(request):
    """A start page that points each person at what their roles can do."""
    return render(request, "home.html")
