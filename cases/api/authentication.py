"""Token authentication for API clients (cases.models.ApiClient), on django-rest-knox.

Knox finds the token by its key prefix, compares digests in constant time and refuses an expired
one. On top of that a token counts only while it is the current token of a client that is not
revoked, and the request then carries only the client's one role: `user_roles` is narrowed for this
request, so every selector sees the client's role and the bound user's own grants and conflicts."""

from django.utils.translation import gettext_lazy as _
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from knox.auth import TokenAuthentication
from rest_framework import exceptions

from cases.models import ApiClient
from cases.roles import user_roles
from cases.services.api_clients import api_client_used


class ApiClientTokenAuthentication(TokenAuthentication):
    def authenticate_header(self, request):
        return "Token"

    def validate_user(self, auth_token):
        user, auth_token = super().validate_user(auth_token)
        client = ApiClient.objects.filter(token=auth_token, revoked_at__isnull=True).first()
        if client is None:
            raise exceptions.AuthenticationFailed(_("Invalid token."))
        roles = frozenset({client.role}) & user_roles(user)
        if not roles:
            raise exceptions.AuthenticationFailed(_("This client's user no longer holds its role."))
        user._role_codes = roles
        user.api_client = client
        api_client_used(client=client)
        return user, auth_token


def is_api_client_request(request) -> bool:
    return getattr(getattr(request, "user", None), "api_client", None) is not None


class ApiClientTokenScheme(OpenApiAuthenticationExtension):
    """The token scheme in the OpenAPI schema (drf-spectacular finds it by the class it names)."""

    target_class = ApiClientTokenAuthentication
    name = "apiClientToken"

    def get_security_definition(self, auto_schema):
        return {
            "type": "apiKey",
            "in": "header",
            "name": "Authorization",
            "description": "An API client's token, issued by an administrator: `Authorization: Token <token>`.",
        }
