"""The pages, one router per concern: accounts, submissions, the conference, the justice bureau, the admin."""
