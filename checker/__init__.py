"""dsr-check: rules-as-code compliance checking of joint '双随机、一公开' supervision records."""

__version__ = "0.1.0"
