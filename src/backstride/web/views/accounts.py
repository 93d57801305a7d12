"""Clinic mode's account pages: sign in, sign out, set a password with a one-time link (the
clinician's pages are in clinic.py). None of them exists in local mode (404): the one local user
never signs in."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.forms import AuthenticationForm, SetPasswordForm
from django.contrib.auth.views import LoginView, LogoutView, PasswordResetConfirmView
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import render
from django.urls import reverse_lazy

LOCKOUT_MINUTES = int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)


def clinic_only(view: Callable[..., HttpResponseBase]) -> Callable[..., HttpResponseBase]:
    @wraps(view)
    def in_clinic_mode(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        if settings.MODE != "clinic":
            raise Http404("clinic mode only")
        return view(request, *args, **kwargs)

    return in_clinic_mode


class SignInForm(AuthenticationForm):
    error_messages = {
        "invalid_login": (
            "That username and password do not match an account. Check both (capital letters count) "
            "and try again."
        ),
        "inactive": "This account is switched off. Ask your clinic's administrator.",
    }

    def __init__(self, request: HttpRequest | None = None, *args: Any, **kwargs: Any):
        super().__init__(request, *args, **kwargs)
        self.fields["username"].error_messages["required"] = "Type your username."
        self.fields["password"].error_messages["required"] = "Type your password."

    def problems(self) -> list[str]:
        """Every error in words, the form's own first (read after validation: never validates again)."""
        return [str(message) for messages in self.errors.values() for message in messages]


class NewPasswordForm(SetPasswordForm):  # type: ignore[type-arg]
    error_messages = {"password_mismatch": "The two passwords are not the same: type the same one twice."}

    def __init__(self, *args: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.fields["new_password1"].label = "New password"
        self.fields["new_password1"].help_text = "At least 10 characters; not a common password."
        self.fields["new_password2"].label = "The same password again"


class SignInView(LoginView):
    template_name = "web/login.html"
    authentication_form = SignInForm
    redirect_authenticated_user = True

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        form = context["form"]
        context["username"] = form.data.get("username", "") if form.is_bound else ""
        context["problems"] = form.problems() if form.is_bound else []
        context["locked_minutes"] = 0
        return context


class SignOutView(LogoutView):
    next_page = "login"

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        response = super().post(request, *args, **kwargs)
        messages.success(request, "You are signed out.")
        return response


class SetPasswordView(PasswordResetConfirmView):
    template_name = "web/set_password.html"
    form_class = NewPasswordForm
    success_url = reverse_lazy("login")

    def form_valid(self, form: SetPasswordForm) -> HttpResponse:  # type: ignore[type-arg]
        response = super().form_valid(form)
        messages.success(self.request, "Your new password is set. Sign in with it now.")
        return response


sign_in = clinic_only(SignInView.as_view())
sign_out = clinic_only(SignOutView.as_view())
set_password = clinic_only(SetPasswordView.as_view())


def locked_out(
    request: HttpRequest, original_response: HttpResponse | None = None, credentials: Any = None
) -> HttpResponse:
    """django-axes' answer after too many wrong passwords (AXES_LOCKOUT_CALLABLE): the sign-in page
    again, with the username as typed and, in words, how long to wait."""
    context = {
        "username": request.POST.get("username", ""),
        "problems": [],
        "locked_minutes": LOCKOUT_MINUTES,
        "next": request.POST.get("next", ""),
    }
    return render(request, "web/login.html", context, status=429)
