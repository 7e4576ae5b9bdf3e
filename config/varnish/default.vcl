# Claimdesk behind Varnish 7 with xkey (Debian: apt-get install varnish varnish-modules).
#   varnishd -a 127.0.0.1:6081 -f /path/to/config/varnish/default.vcl -s malloc,256m
# The app names what each public response shows in an `xkey` header and purges with
#   PURGE / HTTP/1.1   xkey-purge: claim-12 story-3 feeds
# from an address in the `purgers` ACL. scale/up.sh substitutes the backends for its two
# app servers (the lines between BACKENDS-BEGIN and BACKENDS-END).
vcl 4.1;

import std;
import xkey;
import directors;

# BACKENDS-BEGIN
backend app1 { .host = "127.0.0.1"; .port = "8000"; }
sub vcl_init {
    new origin = directors.round_robin();
    origin.add_backend(app1);
}
# BACKENDS-END

acl purgers {
    "127.0.0.1";
    "::1";
}

sub vcl_recv {
    set req.backend_hint = origin.backend();

    if (req.method == "PURGE") {
        if (client.ip !~ purgers) {
            return (synth(403, "Forbidden"));
        }
        if (!req.http.xkey-purge) {
            return (synth(400, "xkey-purge header required"));
        }
        set req.http.n-gone = xkey.purge(req.http.xkey-purge);
        return (synth(200, "Purged " + req.http.n-gone));
    }
    if (req.method != "GET" && req.method != "HEAD") {
        return (pass);
    }

    # Public paths: the same page for every reader, whatever cookies the browser sends.
    if (req.url ~ "^/(s|c|feeds|embed|static)/"
        || req.url ~ "^/oembed"
        || req.url ~ "^/stories/[^/]+/feed\."
        || req.url ~ "^/claims/[0-9]+/feed\.") {
        unset req.http.Cookie;
        return (hash);
    }
    # Everything else (desk, admin, login, API) is per user: never cached.
    if (req.http.Authorization || req.http.Cookie ~ "sessionid=") {
        return (pass);
    }
    if (req.url ~ "^/(admin|login|logout|api)/" || req.url == "/") {
        return (pass);
    }
    return (pass);
}

sub vcl_hash {
    # URL and host only: cookies never split the cache.
    hash_data(req.url);
    if (req.http.host) {
        hash_data(req.http.host);
    }
    return (lookup);
}

sub vcl_backend_response {
    # s-maxage from the app is honoured by Varnish itself; grace from its directives.
    if (beresp.http.Cache-Control ~ "stale-while-revalidate=[0-9]+") {
        set beresp.grace = std.duration(regsub(beresp.http.Cache-Control,
            ".*stale-while-revalidate=([0-9]+).*", "\1") + "s", 10s);
    }
    if (beresp.http.Cache-Control ~ "stale-if-error=[0-9]+") {
        set beresp.keep = std.duration(regsub(beresp.http.Cache-Control,
            ".*stale-if-error=([0-9]+).*", "\1") + "s", 0s);
    }
    if (beresp.http.Cache-Control ~ "(private|no-store)" || beresp.http.Set-Cookie) {
        set beresp.uncacheable = true;
        set beresp.ttl = 120s;
        return (deliver);
    }
    # Surrogate-Key (Fastly's spelling) doubles as xkey when the app sends only that.
    if (!beresp.http.xkey && beresp.http.Surrogate-Key) {
        set beresp.http.xkey = beresp.http.Surrogate-Key;
    }
    return (deliver);
}

sub vcl_deliver {
    if (obj.hits > 0) {
        set resp.http.X-Cache = "HIT";
    } else {
        set resp.http.X-Cache = "MISS";
    }
    # Keys are for the cache, not for readers.
    unset resp.http.xkey;
    unset resp.http.Surrogate-Key;
    return (deliver);
}
