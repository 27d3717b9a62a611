"""Scrapy project: harvesting Arabic defence and security news."""
