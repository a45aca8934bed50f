"""Engagement channels with the public; for now the 区长信箱 (mailbox)."""
