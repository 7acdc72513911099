"""Pages: language switch, preferences and calendar feed token, notifications."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.paginator import Paginator
from django.http import HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django.views.i18n import set_language as django_set_language

from accounts.forms import PreferencesForm
from accounts.models import Notification, new_calendar_token


@login_not_required
@require_POST
def set_language(request):
    """Switch language; a signed-in user's choice is saved, so pages and emails follow it."""
    response = django_set_language(request)
    code = request.POST.get("language", "")
    if request.user.is_authenticated and translation.check_for_language(code):
        request.user.language = code
        request.user.save(update_fields=["language"])
    return response


def calendar_url(request, user) -> str:
    return request.build_absolute_uri(
        reverse("calendar_feed", kwargs={"token": user.calendar_token})
    )


def preferences(request):
    user = request.user
    form = PreferencesForm(request.POST or None, instance=user)
    if request.method == "POST" and form.is_valid():
        form.save()
        translation.activate(user.language or translation.get_language())
        messages.success(request, _("Your settings are saved."))
        response = redirect("accounts:settings")
        if user.language:
            response.set_cookie(
                "django_language", user.language, max_age=365 * 24 * 3600, samesite="Lax"
            )
        return response
    try:
        feed = calendar_url(request, user)
    except Exception:  # the feed arrives with the reminders; until then there is no URL
        feed = ""
    return render(request, "accounts/settings.html", {"form": form, "calendar_url": feed})


@require_POST
def regenerate_calendar(request):
    request.user.calendar_token = new_calendar_token()
    request.user.save(update_fields=["calendar_token"])
    messages.success(request, _("A new calendar link was made. The old link no longer works."))
    return redirect("accounts:settings")


def notifications(request):
    items = Notification.objects.filter(user=request.user)
    page = Paginator(items, 25).get_page(request.GET.get("page"))
    return render(request, "accounts/notifications.html", {"page": page})


@require_POST
def mark_notifications_read(request):
    Notification.objects.filter(user=request.user).unread().update(read_at=timezone.now())
    target = request.POST.get("next") or reverse("accounts:notifications")
    if not url_has_allowed_host_and_scheme(target, {request.get_host()}):
        target = reverse("accounts:notifications")
    return HttpResponseRedirect(target)


def open_notification(request, pk: int):
    notification = Notification.objects.filter(user=request.user, pk=pk).first()
    if notification is None:
        from django.http import Http404

        raise Http404
    if notification.read_at is None:
        notification.read_at = timezone.now()
        notification.save(update_fields=["read_at"])
    target = notification.url or reverse("accounts:notifications")
    if not url_has_allowed_host_and_scheme(target, {request.get_host()}):
        target = reverse("accounts:notifications")
    return HttpResponseRedirect(target)
