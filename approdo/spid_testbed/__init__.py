"""A local SPID/CIE federation for the demo and the tests: a trust anchor and an identity
provider from the `spid-cie-oidc` package, in their own Django process and database.

Approdo is only ever a relying party; this package is never part of Approdo's own settings.
The real federation is reached by configuration alone (README, "SPID e CIE").
"""
