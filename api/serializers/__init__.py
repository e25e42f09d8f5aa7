"""Serializers of the API, by subject: reading uses plain ModelSerializers over prefetched querysets;
writing validates types here and then runs the web form's rules and the services."""
