/* The proxy floor: a minimal HTTP/1.1 keep-alive reverse proxy, the least a proxy does.
 *
 *   cc -O2 -pthread -o relay relay.c && ./relay LISTEN_PORT UPSTREAM_PORT [WORKERS]
 *
 * A measuring instrument for BENCHMARKS.md, not product code. Like nginx's workers: one
 * thread per core, each with its own epoll and its own SO_REUSEPORT listening socket, and
 * its own pool of kept-alive upstream connections (127.0.0.1:UPSTREAM_PORT). One request at
 * a time per client connection. Framing: the end of the head (\r\n\r\n) and Content-Length,
 * nothing else (no chunked bodies either way, no HEAD, no 1xx; a response without
 * Content-Length is refused). Upstream it sends the client's header block byte for byte
 * with only the Host line rewritten and an X-Forwarded-For line added; the upstream's
 * answer goes back to the client unchanged. The system calls per call are nginx's: a read
 * and a write on each side, and epoll_wait; sockets stay registered (level-triggered), so
 * no epoll_ctl per call. Simplifications: an upstream connection is opened with a blocking
 * connect (loopback, once per pool slot), and a short write waits in poll() (answers here
 * are a few hundred bytes, so it never happens on loopback).
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <unistd.h>

#define BUF 16384
#define POOL 64

enum kind { LISTENER, CLIENT, UPSTREAM, DEAD };

struct upstream;
struct conn {                     /* a client connection */
    enum kind kind;
    int fd;
    char ip[INET_ADDRSTRLEN];
    char in[BUF];
    size_t len;                   /* bytes in `in` */
    size_t request;               /* length of the request being answered, 0 when idle */
    struct upstream *up;
};
struct upstream {                 /* a connection to the upstream */
    enum kind kind;
    int fd;
    char in[BUF];
    size_t len;
    size_t answer;                /* the answer's length once its head is in, else 0 */
    struct conn *client;          /* the call using it; NULL while pooled */
};
struct worker {
    int epoll;
    struct upstream *idle[POOL];
    int idle_count;
};

static int listen_port, upstream_port;
static const char *upstream_host = "127.0.0.1";

/* The value of header `name` (with its colon) in the head [p, end), or NULL. */
static const char *header(const char *p, const char *end, const char *name, size_t n) {
    for (p = memchr(p, '\n', end - p); p && p + 1 + n < end; p = memchr(p + 1, '\n', end - p - 1))
        if (strncasecmp(p + 1, name, n) == 0) return p + 1 + n;
    return NULL;
}

/* Length of the whole message at [buf, buf+len): head plus Content-Length; 0 if the head is
 * not all in yet; -1 if no Content-Length and `need_length`. */
static long message_length(const char *buf, size_t len, int need_length) {
    const char *end = memmem(buf, len, "\r\n\r\n", 4);
    if (!end) return len >= BUF ? -1 : 0;
    end += 4;
    const char *cl = header(buf, end, "content-length:", 15);
    if (!cl) return need_length ? -1 : end - buf;
    return (end - buf) + strtol(cl, NULL, 10);
}

static void write_all(int fd, const char *p, size_t n) {
    while (n > 0) {
        ssize_t w = write(fd, p, n);
        if (w > 0) { p += w; n -= w; continue; }
        if (w < 0 && errno == EAGAIN) { struct pollfd f = {fd, POLLOUT, 0}; poll(&f, 1, 1000); continue; }
        return;   /* the peer is gone; its read side will say so */
    }
}

static void watch(struct worker *w, int fd, void *what) {
    struct epoll_event ev = {.events = EPOLLIN | EPOLLRDHUP, .data.ptr = what};
    epoll_ctl(w->epoll, EPOLL_CTL_ADD, fd, &ev);
}

/* Freed after the current batch of events, which may still name them. */
static __thread void *dead[1024];
static __thread int dead_count;
static void bury(void *p, enum kind *k) {
    *k = DEAD;
    if (dead_count < 1024) dead[dead_count++] = p;   /* else leaked: only at a mass close */
}

static void close_upstream(struct upstream *u) { close(u->fd); bury(u, &u->kind); }

static struct upstream *lease(struct worker *w) {
    if (w->idle_count) return w->idle[--w->idle_count];
    struct sockaddr_in a = {.sin_family = AF_INET, .sin_port = htons(upstream_port)};
    inet_pton(AF_INET, upstream_host, &a.sin_addr);
    int fd = socket(AF_INET, SOCK_STREAM, 0), one = 1;
    if (connect(fd, (struct sockaddr *)&a, sizeof a) < 0) { close(fd); return NULL; }
    setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    struct upstream *u = calloc(1, sizeof *u);
    u->kind = UPSTREAM;
    u->fd = fd;
    fcntl(fd, F_SETFL, O_NONBLOCK);
    watch(w, fd, u);
    return u;
}

static void close_client(struct conn *c) {
    if (c->up) { close_upstream(c->up); }  /* mid-call: the answer's rest would be stale */
    close(c->fd);
    bury(c, &c->kind);
}

/* The client's buffer holds a whole request (`n` bytes): rewrite and send it upstream. */
static void forward(struct worker *w, struct conn *c, size_t n) {
    static __thread char out[BUF + 256];
    const char *head_end = (char *)memmem(c->in, n, "\r\n\r\n", 4) + 2;  /* keep one CRLF */
    const char *host = header(c->in, head_end, "host:", 5);
    size_t o = 0;
    const char *p = c->in;
    if (host) {                                         /* up to the Host line, then ours */
        host -= 5;
        memcpy(out, p, host - p); o = host - p;
        o += sprintf(out + o, "Host: %s:%d\r\n", upstream_host, upstream_port);
        p = memchr(host, '\n', head_end - host) + 1;
    }
    memcpy(out + o, p, head_end - p); o += head_end - p;  /* the other header lines */
    o += sprintf(out + o, "X-Forwarded-For: %s\r\n\r\n", c->ip);
    size_t body = n - (head_end + 2 - c->in);             /* and the body as it came */
    if (o + body > sizeof out) { close_client(c); return; }
    memcpy(out + o, head_end + 2, body); o += body;
    struct upstream *u = lease(w);
    if (!u) { write_all(c->fd, "HTTP/1.1 502 Bad Gateway\r\nContent-Length: 0\r\n\r\n", 47); close_client(c); return; }
    u->client = c; u->len = 0; u->answer = 0;
    c->up = u; c->request = n;
    write_all(u->fd, out, o);
}

/* Requests waiting in the client's buffer: the next one goes, if it is all in. */
static void next_request(struct worker *w, struct conn *c) {
    long n = message_length(c->in, c->len, 0);
    if (n < 0 || (size_t)n > BUF) { close_client(c); return; }
    if (n > 0 && (size_t)n <= c->len) forward(w, c, n);
}

static void client_readable(struct worker *w, struct conn *c) {
    ssize_t r = read(c->fd, c->in + c->len, BUF - c->len);
    if (r <= 0) { if (r < 0 && errno == EAGAIN) return; close_client(c); return; }
    c->len += r;
    if (!c->request) next_request(w, c);   /* else it waits for the current answer's end */
}

static void upstream_readable(struct worker *w, struct upstream *u) {
    ssize_t r = read(u->fd, u->in + u->len, BUF - u->len);
    if (r < 0 && errno == EAGAIN) return;
    struct conn *c = u->client;
    if (r <= 0 || !c) {                    /* closed, or bytes while pooled: not reusable */
        for (int i = 0; i < w->idle_count; i++)
            if (w->idle[i] == u) w->idle[i] = w->idle[--w->idle_count];
        if (c) { c->up = NULL; close_client(c); }
        close_upstream(u);
        return;
    }
    u->len += r;
    if (!u->answer) {
        long n = message_length(u->in, u->len, 1);
        if (n == 0) return;
        if (n < 0 || n > BUF) { c->up = NULL; close_upstream(u); close_client(c); return; }
        u->answer = n;
    }
    if (u->len < u->answer) return;        /* small answers: all in one buffer, one write */
    write_all(c->fd, u->in, u->answer);
    int clean = u->len == u->answer;
    u->client = NULL; c->up = NULL;
    if (clean && w->idle_count < POOL) w->idle[w->idle_count++] = u; else close_upstream(u);
    memmove(c->in, c->in + c->request, c->len - c->request);   /* drop the answered request */
    c->len -= c->request; c->request = 0;
    if (c->len) next_request(w, c);
}

static void *run(void *arg) {
    (void)arg;
    struct worker w = {.epoll = epoll_create1(0)};
    int one = 1, lfd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0);
    setsockopt(lfd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    setsockopt(lfd, SOL_SOCKET, SO_REUSEPORT, &one, sizeof one);
    struct sockaddr_in a = {.sin_family = AF_INET, .sin_port = htons(listen_port)};
    inet_pton(AF_INET, "127.0.0.1", &a.sin_addr);
    if (bind(lfd, (struct sockaddr *)&a, sizeof a) < 0 || listen(lfd, 1024) < 0) { perror("listen"); exit(1); }
    enum kind listener = LISTENER;
    watch(&w, lfd, &listener);
    struct epoll_event events[256];
    for (;;) {
        int n = epoll_wait(w.epoll, events, 256, -1);
        for (int i = 0; i < n; i++) {
            enum kind *k = events[i].data.ptr;
            if (*k == LISTENER) {
                struct sockaddr_in peer;
                socklen_t plen = sizeof peer;
                int fd = accept4(lfd, (struct sockaddr *)&peer, &plen, SOCK_NONBLOCK);
                if (fd < 0) continue;
                setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
                struct conn *c = calloc(1, sizeof *c);
                c->kind = CLIENT;
                c->fd = fd;
                inet_ntop(AF_INET, &peer.sin_addr, c->ip, sizeof c->ip);
                watch(&w, fd, c);
            } else if (*k == CLIENT) {
                client_readable(&w, (struct conn *)k);
            } else if (*k == UPSTREAM) {
                upstream_readable(&w, (struct upstream *)k);
            }
        }
        while (dead_count) free(dead[--dead_count]);
    }
    return NULL;
}

int main(int argc, char **argv) {
    if (argc < 3) { fprintf(stderr, "usage: relay LISTEN_PORT UPSTREAM_PORT [WORKERS]\n"); return 2; }
    listen_port = atoi(argv[1]);
    upstream_port = atoi(argv[2]);
    long workers = argc > 3 ? atol(argv[3]) : sysconf(_SC_NPROCESSORS_ONLN);
    pthread_t t;
    for (long i = 1; i < workers; i++) pthread_create(&t, NULL, run, NULL);
    run(NULL);
}
