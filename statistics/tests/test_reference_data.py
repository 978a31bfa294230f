"""Reference data: the regions and countries ``load_report_data --reference-only`` loads, and looking them up."""

import io

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.db import IntegrityError, transaction

from statistics.models import Country, ForeignRowOrder, Region

from .factories import CityFactory, CountryFactory, RegionFactory

pytestmark = pytest.mark.django_db

DOMESTIC_TABLES = (1, 3, 5, 7, 9, 10, 11, 12)
FOREIGN_TABLES = (2, 4, 6, 8, 9, 10, 11, 12)


def reference_snapshot() -> dict[str, list]:
    """Every reference row by its natural keys (primary keys differ between loads)."""
    return {
        "regions": sorted(
            Region.objects.values_list(
                "code", "name_zh", "full_name_zh", "name_en", "level", "parent__code", "display_order"
            )
        ),
        "countries": sorted(Country.objects.values_list("code", "alpha2", "alpha3", "name_zh", "name_en", "kind")),
        "members": sorted(Country.members.through.objects.values_list("from_country__code", "to_country__code")),
        "row_order": sorted(ForeignRowOrder.objects.values_list("table", "country__code", "position")),
    }


@pytest.fixture
def reference_only(empty_database):
    """A database that ran ``load_report_data --reference-only`` and nothing else; returns the command's output."""
    out = io.StringIO()
    call_command("load_report_data", "--reference-only", stdout=out)
    return out.getvalue()


@pytest.fixture(scope="module")
def loaded_reference(django_db_setup, django_db_blocker):
    """The reference data of the test database, which ``load_report_data`` filled at session start."""
    with django_db_blocker.unblock():
        return reference_snapshot()


def bare(label: str) -> str:
    return label[1:-1] if label.startswith("(") and label.endswith(")") else label


def test_reference_only_loads_the_dimensions_and_no_figures(reference_only, count_figures, loaded_reference):
    """``--reference-only`` on an empty database writes all reference rows and no figure at all.

    The reference data it writes is the same as a full ``load_report_data`` writes, which is what the other tests of
    this module read (the session's test database).
    """
    assert set(count_figures().values()) == {0}
    assert "appendix figures" not in reference_only
    assert reference_snapshot() == loaded_reference
    assert Region.objects.count() == 50


def test_regions_are_34_province_level_divisions_15_cities_and_the_xpcc(db):
    """34 province-level regions (31 provinces, 台湾, 香港, 澳门) + 15 sub-provincial cities + the XPCC."""
    assert Region.objects.filter(level=Region.Level.PROVINCE).count() == 34
    assert Region.objects.filter(level=Region.Level.CITY).count() == 15
    assert list(Region.objects.filter(level=Region.Level.CORPS).values_list("name_zh", flat=True)) == [
        "新疆生产建设兵团"
    ]
    assert {"台湾", "香港", "澳门"} <= set(Region.objects.province_level().values_list("name_zh", flat=True))


def test_province_level_regions_are_the_report_rows_that_add_up_to_the_domestic_total(db, report):
    """The province-level set is exactly the report's non-parenthesized domestic rows, in every domestic table."""
    provinces = set(Region.objects.province_level().values_list("name_zh", flat=True))
    for number in DOMESTIC_TABLES:
        assert {row.label for row in report[number].province_rows()} == provinces, number


def test_of_which_rows_have_their_province_as_parent(db):
    """Cities and the XPCC carry a parent province; province-level rows carry none."""
    assert Region.objects.get(name_zh="深圳").parent.name_zh == "广东"
    assert Region.objects.get(name_zh="新疆生产建设兵团").parent.name_zh == "新疆"
    assert Region.objects.get(name_zh="宁波").parent.name_zh == "浙江"
    assert not Region.objects.province_level().filter(parent__isnull=False).exists()
    assert not Region.objects.of_which().filter(parent__isnull=True).exists()
    assert set(Region.objects.of_which().values_list("parent__level", flat=True)) == {Region.Level.PROVINCE}


def test_regions_carry_their_gbt_2260_codes(db):
    """GB/T 2260 division codes, e.g. 北京 110000, 广东 440000, 深圳 440300."""
    codes = dict(Region.objects.values_list("name_zh", "code"))
    assert codes["北京"] == "110000"
    assert codes["广东"] == "440000"
    assert codes["深圳"] == "440300"
    assert codes["香港"] == "810000"
    assert all(len(code) == 6 and code.isdigit() for code in codes.values())


def test_display_order_is_the_report_row_order(db, report):
    """Regions sort in the order table 1 prints them: provinces first, then the "of which" rows."""
    printed = [bare(row.label) for row in report[1].domestic_rows()]
    assert list(Region.objects.values_list("name_zh", flat=True)) == printed


def test_every_foreign_label_of_the_appendix_has_a_country(db, report):
    """Each country row of tables 2, 4, 6, 8–12 names a Country."""
    labels = {row.label for number in FOREIGN_TABLES for row in report[number].foreign_rows()}
    assert len(labels) > 200
    for label in labels:
        assert Country.objects.lookup(label).name_zh == label


def test_joint_holders_are_linked_to_their_member_countries(db, report):
    """A joint holder such as 比利时、德国、法国、荷兰 is kind "joint" with each listed country as a member."""
    holder = Country.objects.lookup("比利时、德国、法国、荷兰")
    assert holder.kind == Country.Kind.JOINT
    assert set(holder.members.values_list("alpha2", flat=True)) == {"BE", "DE", "FR", "NL"}
    joint_labels = {
        row.label for number in FOREIGN_TABLES for row in report[number].foreign_rows() if "、" in row.label
    }
    assert "塞浦路斯、希腊" in joint_labels
    for label in joint_labels:
        holder = Country.objects.lookup(label)
        expected = {Country.objects.lookup(name).pk for name in label.split("、")}
        assert holder.kind == Country.Kind.JOINT
        assert set(holder.members.values_list("pk", flat=True)) == expected, label
        assert set(holder.members.values_list("kind", flat=True)) == {Country.Kind.COUNTRY}


def test_other_exists_with_kind_other(db):
    """其他 (other) is a Country of kind "other", without ISO codes."""
    other = Country.objects.lookup("其他")
    assert other.kind == Country.Kind.OTHER
    assert other.alpha2 is None
    assert other.alpha3 is None


def test_foreign_row_order_follows_the_report(db, report):
    """The per-table foreign row order is the printed one (tables 9 and 10 are not alphabetical)."""
    for number in FOREIGN_TABLES:
        stored = ForeignRowOrder.objects.filter(table=number).order_by("position")
        assert [entry.country.name_zh for entry in stored] == [row.label for row in report[number].foreign_rows()]


@pytest.mark.parametrize(
    "term",
    ["北京", "北　京", " 北 京 ", "北京市", "Beijing", "beijing", "BEIJING", "110000", "１１００００"],
)
def test_region_lookup_by_name_padded_name_english_name_and_code(db, term):
    """``Region.objects.lookup`` finds 北京 by its names (full-width padding ignored), English name and code."""
    assert Region.objects.lookup(term).code == "110000"


def test_region_lookup_finds_cities_and_the_xpcc(db):
    """Parts are found by their own names and codes, e.g. (深圳) by 深圳, Shenzhen and 440300."""
    assert Region.objects.lookup("深　圳").code == "440300"
    assert Region.objects.lookup("shenzhen").code == "440300"
    assert Region.objects.lookup("440300").name_zh == "深圳"
    assert Region.objects.lookup("新疆生产建设兵团").parent.name_zh == "新疆"


@pytest.mark.parametrize("term", ["美国", "美　国", "United States", "united states", "US", "us", "USA"])
def test_country_lookup_by_name_english_name_and_codes(db, term):
    """``Country.objects.lookup`` finds a country by Chinese name, English name (any case) and ISO codes."""
    assert Country.objects.lookup(term).alpha2 == "US"


@pytest.mark.parametrize(
    ("manager", "model"), [(Region.objects, Region), (Country.objects, Country)], ids=["region", "country"]
)
@pytest.mark.parametrize("term", ["火星", "Atlantis", "999999", ""])
def test_unknown_lookup_raises_does_not_exist(db, manager, model, term):
    """An unknown name or code raises the model's DoesNotExist."""
    with pytest.raises(model.DoesNotExist):
        manager.lookup(term)


# ---------------------------------------------------------------------------------------------------------------
# Rules of the reference models
# ---------------------------------------------------------------------------------------------------------------


def test_a_city_needs_a_parent_and_a_province_has_none(db):
    """A city (or the XPCC) has a parent province; a province-level division has none: full_clean and the database."""
    orphan = RegionFactory.build(level=Region.Level.CITY, parent=None)
    with pytest.raises(ValidationError):
        orphan.full_clean()
    with pytest.raises(IntegrityError), transaction.atomic():
        Region.objects.bulk_create([orphan])
    province_with_parent = RegionFactory.build(parent=RegionFactory())
    with pytest.raises(ValidationError):
        province_with_parent.full_clean()
    with pytest.raises(IntegrityError), transaction.atomic():
        Region.objects.bulk_create([province_with_parent])


def test_a_city_parent_must_be_a_province(db):
    """The parent of an "of which" row is a province-level division, not another city."""
    city = CityFactory()
    with pytest.raises(ValidationError) as error:
        CityFactory.build(parent=city).full_clean()
    assert "parent" in error.value.message_dict


def test_only_countries_carry_iso_codes(db):
    """A country has ISO codes; "other" and joint holders have none (full_clean and the database)."""
    with pytest.raises(ValidationError):
        CountryFactory.build(alpha2=None).full_clean()
    joint_with_codes = CountryFactory.build(kind=Country.Kind.JOINT)
    with pytest.raises(ValidationError):
        joint_with_codes.full_clean()
    with pytest.raises(IntegrityError), transaction.atomic():
        Country.objects.bulk_create([joint_with_codes])


def test_foreign_row_order_is_one_position_per_table_and_country_in_tables_1_to_12(db):
    """A row order belongs to one of tables 1–12, once per country."""
    country = CountryFactory()
    ForeignRowOrder.objects.create(table=2, country=country, position=999)
    with pytest.raises(IntegrityError), transaction.atomic():
        ForeignRowOrder.objects.create(table=2, country=country, position=1000)
    with pytest.raises(IntegrityError), transaction.atomic():
        ForeignRowOrder.objects.create(table=13, country=country, position=1)
    with pytest.raises(ValidationError):
        ForeignRowOrder(table=0, country=country, position=1).full_clean()
