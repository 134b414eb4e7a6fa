"""Educators' tools beyond the bank: printable worksheets and the starter deck."""
