"""The web service: departments submit, the conference and the justice bureau review.

A front end on the library, like the command line: it stores uploads and
reports, runs `checker.api.check` in a bounded pool of worker processes, and
renders with the existing reporters. No rule of the policy is decided here.
"""
