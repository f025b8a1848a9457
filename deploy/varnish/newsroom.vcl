vcl 4.1;
# Varnish (Debian's varnish 7.1 + varnish-modules for xkey) between nginx and
# gunicorn: nginx (TLS, uploads, /static/, /media/) -> Varnish 127.0.0.1:6081
# -> gunicorn's socket. It keeps the pages the app marks public, shared by every
# anonymous reader, and drops them when the app purges their tags.
#
# Copy to /etc/varnish/newsroom.vcl (deploy/varnish/varnish.service.d/ points
# varnishd at it). Replace the placeholders:
#   /run/newsroom/gunicorn.sock   GUNICORN_BIND of deploy/gunicorn.conf.py
#   the purgers ACL               the addresses of the app servers (they purge)
# Session cookie names: the production defaults (SESSION_COOKIE_NAME...).
# `make test-edge` runs this very file in front of gunicorn and proves it.
#
# What the app sends and this file relies on (delivery/page_cache.py,
# delivery/edge.py):
#   Cache-Control: public, s-maxage=..., stale-while-revalidate=...,
#                  stale-if-error=...    what any shared cache may keep, and how long
#   Surrogate-Control: max-age=N         only while the app purges this proxy
#                                        (NEWSROOM_PURGE_URLS): keep it N seconds
#   xkey: public-content article:<slug>  the tags a PURGE names to drop the page
# The last two are for this proxy only and never reach readers.

import std;
import xkey;

backend newsroom {
    .path = "/run/newsroom/gunicorn.sock";
    .connect_timeout = 5s;
    # gunicorn's own request timeout (deploy/gunicorn.conf.py) is 60 s; nginx
    # waits 65 s for us.
    .first_byte_timeout = 62s;
    .between_bytes_timeout = 62s;
}

# Who may purge: the app servers (each sends PURGE after a change), and
# localhost for the sysadmin. Never nginx's readers: nginx refuses the PURGE
# method, and a purge relayed by nginx (it sets X-Forwarded-Proto) is refused
# below too.
acl purgers {
    "127.0.0.1";
    "::1";
}

# Who connects to us as the proxy in front (nginx on this machine).
acl front_proxies {
    "127.0.0.1";
    "::1";
}

sub vcl_recv {
    # nginx sets X-Forwarded-For to the reader's address; varnishd appends
    # nginx's own. Drop that hop so the app still sees one proxy in front
    # (NEWSROOM_TRUSTED_PROXY_COUNT=1), as without Varnish.
    if (client.ip ~ front_proxies && req.http.X-Forwarded-For ~ ",") {
        set req.http.X-Forwarded-For = regsub(req.http.X-Forwarded-For, "\s*,[^,]*$", "");
    }

    if (req.method == "PURGE") {
        if (client.ip !~ purgers || req.http.X-Forwarded-Proto) {
            return (synth(403, "Forbidden"));
        }
        if (!req.http.xkey) {
            return (synth(400, "PURGE needs an xkey header naming the tags"));
        }
        # A hard purge: the pages are gone, grace copies included, so the next
        # reader gets the changed page, never the old one.
        set req.http.n-gone = xkey.purge(req.http.xkey);
        return (synth(200, "Invalidated " + req.http.n-gone + " objects"));
    }

    # Only reads are ever shared. Everything else (comment POSTs, admin forms,
    # API writes) goes to the app as it came, cookies included.
    if (req.method != "GET" && req.method != "HEAD") {
        return (pass);
    }
    # Staff screens, the API, health probes (they must reach the app).
    if (req.url ~ "^/(admin|api)(/|\?|$)" || req.url ~ "^/(healthz|readyz)(\?|$)") {
        return (pass);
    }
    if (req.http.Authorization) {
        return (pass);
    }
    # Readers with something personal get their own page, rendered by the app
    # and never stored: a session (staff), a pending message, a comment of
    # theirs awaiting moderation, a remembered name (comments/cookies.py).
    if (req.http.Cookie ~ "(^|;\s*)(__Host-sessionid|sessionid|messages|comment_pending|comment_author|comment_editable)=") {
        return (pass);
    }
    # The no-JavaScript reply form ("Replying to NAME") is per visit.
    if (req.url ~ "[?&]replytocom=") {
        return (pass);
    }

    # Anything else in the Cookie header (analytics, an old CSRF cookie) makes
    # no difference to a public page: drop it, so every reader shares one copy
    # (the app sends Vary: Cookie).
    unset req.http.Cookie;

    # Campaign parameters never change a page: one copy with and without them.
    # Other parameters stay in the key (the app renders pages only for the
    # ones it uses, ?page= and ?p=, and ignores the rest).
    if (req.url ~ "[?&](utm_[a-z]+|fbclid|gclid|msclkid|mc_cid|mc_eid)=") {
        set req.url = regsuball(req.url, "([?&])(utm_[a-z]+|fbclid|gclid|msclkid|mc_cid|mc_eid)=[^&]*", "\1");
        set req.url = regsuball(req.url, "&&+", "&");
        set req.url = regsub(req.url, "\?&", "?");
        set req.url = regsub(req.url, "[?&]$", "");
    }
    set req.url = std.querysort(req.url);

    # Two variants at most: gzip or not (varnishd gunzips for the rest).
    if (req.http.Accept-Encoding ~ "gzip") {
        set req.http.Accept-Encoding = "gzip";
    } else {
        unset req.http.Accept-Encoding;
    }
    return (hash);
}

sub vcl_backend_response {
    # Revalidating a stale copy failed: keep serving it (stale-if-error).
    if (bereq.is_bgfetch && beresp.status >= 500) {
        return (abandon);
    }
    if (bereq.uncacheable) {
        return (deliver);
    }
    # Stored only when the app says any shared cache may keep it; a response
    # without Cache-Control is not kept (unlike varnishd's default 2 minutes).
    if (beresp.http.Set-Cookie
        || beresp.http.Cache-Control !~ "(?i)(^|[ ,])public([ ,]|$)"
        || beresp.http.Cache-Control ~ "(?i)private|no-store|no-cache") {
        set beresp.ttl = 30s;
        set beresp.uncacheable = true;
        return (deliver);
    }
    # How long: the surrogate lifetime when the app purges us, else what
    # Cache-Control allows shared caches (varnishd read s-maxage, then max-age).
    if (beresp.http.Surrogate-Control ~ "(?i)max-age=[0-9]+") {
        set beresp.ttl = std.duration(
            regsub(beresp.http.Surrogate-Control, "(?i)^.*max-age=([0-9]+).*$", "\1") + "s", 0s);
    }
    if (beresp.ttl <= 0s) {
        set beresp.ttl = 30s;
        set beresp.uncacheable = true;
        return (deliver);
    }
    # After that: stale-while-revalidate (served while one background fetch
    # renders the page again) and stale-if-error (served while the app fails
    # or is down) are both grace; the longer one wins.
    set beresp.grace = 0s;
    if (beresp.http.Cache-Control ~ "(?i)stale-while-revalidate=[0-9]+") {
        set beresp.grace = std.duration(
            regsub(beresp.http.Cache-Control, "(?i)^.*stale-while-revalidate=([0-9]+).*$", "\1") + "s", 0s);
    }
    if (beresp.http.Cache-Control ~ "(?i)stale-if-error=[0-9]+" &&
        std.duration(regsub(beresp.http.Cache-Control, "(?i)^.*stale-if-error=([0-9]+).*$", "\1") + "s", 0s) > beresp.grace) {
        set beresp.grace = std.duration(
            regsub(beresp.http.Cache-Control, "(?i)^.*stale-if-error=([0-9]+).*$", "\1") + "s", 0s);
    }
    return (deliver);
}

sub vcl_backend_error {
    # The app is unreachable while revalidating: keep the stale copy.
    if (bereq.is_bgfetch) {
        return (abandon);
    }
}

sub vcl_deliver {
    # For this proxy only.
    unset resp.http.xkey;
    unset resp.http.Surrogate-Control;
    unset resp.http.Via;
    # A stored page holds the id of the request that rendered it; the reader's
    # is the one nginx logged for this request.
    if (obj.hits > 0 && req.http.X-Request-ID) {
        set resp.http.X-Request-ID = req.http.X-Request-ID;
    }
    # Whether this proxy answered from its store (also: Age > 0, two ids in X-Varnish).
    if (obj.uncacheable) {
        set resp.http.X-Cache = "pass";
    } elsif (obj.hits > 0) {
        set resp.http.X-Cache = "hit";
    } else {
        set resp.http.X-Cache = "miss";
    }
    return (deliver);
}
