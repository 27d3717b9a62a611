"""Project commands (``COMMANDS_MODULE``): ``scrapy extract``, ``scrapy export``."""
