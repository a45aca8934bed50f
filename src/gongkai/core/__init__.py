"""Shared foundations: users, the append-only audit log, the outbox and the editable working-day calendar."""
