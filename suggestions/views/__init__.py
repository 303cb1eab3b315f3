"""Thin HTML views of the suggestion loop: fetch through selectors, write through services, show
Chinese messages. Split by area: ``lists``, ``entry``, ``detail``, ``actions``, ``downloads``,
``history_import`` (``common`` holds the helpers they share); ``suggestions/urls.py`` names them."""
