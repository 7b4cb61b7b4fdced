from django.contrib import admin, messages
from django.http import HttpRequest, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.urls import path, reverse
from django.views.decorators.http import require_POST

from . import services
from .models import Message


@admin.action(description="Send the selected failed messages again", permissions=("change",))
def resend_messages(modeladmin, request, queryset):
    count = services.resend(message_ids=list(queryset.values_list("pk", flat=True)))
    messages.success(request, f"{count} failed message{'' if count == 1 else 's'} queued again.")


class UnconfirmedFilter(admin.SimpleListFilter):
    title = "receiver's answer"
    parameter_name = "uncertain"

    def lookups(self, request, model_admin):
        return [("1", "Not confirmed (timed out)")]

    def queryset(self, request, queryset):
        if self.value() == "1":
            return queryset.filter(uncertain_attempts__gt=0)
        return queryset


@admin.register(Message)
class MessageAdmin(admin.ModelAdmin):
    list_display = (
        "__str__",
        "kind",
        "status",
        "attempts",
        "uncertain_attempts",
        "created_at",
        "sent_at",
    )
    list_filter = ("status", UnconfirmedFilter, "channel", "kind")
    search_fields = ("subject", "recipient", "about")
    date_hierarchy = "created_at"
    # A rendered message's text is never stored, and nothing here is edited by hand.
    readonly_fields = [f.name for f in Message._meta.fields]
    actions = (resend_messages,)

    def has_add_permission(self, request):
        return False

    def get_urls(self):
        resend = self.admin_site.admin_view(require_POST(self.resend_view))
        return [path("<int:pk>/resend/", resend, name="outbox_message_resend"), *super().get_urls()]

    def resend_view(self, request: HttpRequest, pk: int):
        message = get_object_or_404(Message, pk=pk)
        if not self.has_change_permission(request, message):
            return HttpResponseRedirect(reverse("admin:outbox_message_change", args=[pk]))
        if services.resend(message_ids=[message.pk]):
            self.message_user(request, "Queued again; it goes out within a minute.")
        else:
            self.message_user(request, "Only a failed message can be sent again.", messages.WARNING)
        return HttpResponseRedirect(reverse("admin:outbox_message_change", args=[pk]))
