"""Clients of remote sites (WordPress REST); no Qt, no ORM."""
