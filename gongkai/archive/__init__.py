"""Tag whole archives of annual reports into datasets, on one machine or a Ray cluster.

``sources`` turns command-line inputs (files, folders, globs, zips) into report sources;
``plan`` groups them by content hash; ``tagger`` reads and tags them, in the worker
processes of ``local`` (resumable through ``state``) or the actors of ``ray_engine``;
``datasets`` and ``formats`` define, write and read the four output datasets; ``summary``
and ``charts`` summarize them; ``cli`` holds the ``tag`` and ``summarize`` commands.
"""
