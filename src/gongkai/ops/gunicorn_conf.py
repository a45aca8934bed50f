"""gunicorn settings that have no command-line flag (the rest are on ``ServePlan.argv``).

gunicorn would by default turn ``X-Forwarded-Proto: https`` from 127.0.0.1 into an https request and
take ``SCRIPT_NAME`` / ``PATH_INFO`` headers from it. gongkai decides whom to believe in Django settings
only (``GONGKAI_PRODUCTION`` / ``GONGKAI_BEHIND_PROXY``), so gunicorn believes no forwarding header.
"""

secure_scheme_headers: dict[str, str] = {}
forwarder_headers = ""
# The process title systemd and ps show.
proc_name = "gongkai"
# gunicorn's control socket (``gunicornc``) would sit in the user's home directory, shared by every
# instance; gongkai is controlled with signals through systemd instead.
control_socket_disable = True
