"""Running from cron and on several machines: what makes one harvest a run.

The run lock (``runlock``), incremental discovery against the store
(``incremental``), the spidermon monitors that judge a run (``monitors``), the
per-process request filter (``dupefilter``) and the Redis scheduler and
heartbeat of a distributed run (``distributed``).
"""
