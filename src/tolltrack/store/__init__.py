"""The ledger: schema, connection, the single writer and the queries."""

from tolltrack.store.connection import DEFAULT_LEDGER, Ledger, LedgerError, open_ledger
from tolltrack.store.queries import (
    ClaimFilter,
    StoredClaim,
    count_claims,
    find_claims,
    find_points,
    stats,
)

__all__ = ["DEFAULT_LEDGER", "ClaimFilter", "Ledger", "LedgerError", "StoredClaim",
           "count_claims", "find_claims", "find_points", "open_ledger", "stats"]
