"""Policies: document loading, the condition language, waivers and clarify, policy test cases."""
