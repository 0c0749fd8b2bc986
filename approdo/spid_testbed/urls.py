"""The trust anchor at the root (its entity configuration, fetch, list, resolve) and the
identity provider under oidc/op/, as the package lays them out."""

from django.urls import path
from spid_cie_oidc.authority.urls import urlpatterns as authority_urls
from spid_cie_oidc.entity.urls import urlpatterns as entity_urls
from spid_cie_oidc.entity.views import entity_configuration, resolve_entity_statement
from spid_cie_oidc.provider.urls import urlpatterns as provider_urls

urlpatterns = [
    *entity_urls,
    *authority_urls,
    *provider_urls,
    path("oidc/op/.well-known/openid-federation", entity_configuration),
    path("oidc/op/resolve", resolve_entity_statement),
]
