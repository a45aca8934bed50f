"""Hot-topic responses, supervision tasks (督查督办) and the 五方联席会 (issue 13)."""
