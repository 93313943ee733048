"""What changed between two states of a record (see `snapshots`), in words an editor reads.

`describe(model, old, new)` lists the changes line by line: a field with its old and new
value in full ("Summary: … → …"), links added and removed ("Sources: removed “BOI: …”"),
parts added, removed or changed ("Parties: changed “METI – Party”: role: Party → Witness").
Where the old state's links and parts are unknown (an entry from before they were kept),
only the fields are compared.
"""

from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.utils.dateformat import format as date_format
from django.utils.text import capfirst

from partnership.core.snapshots import link_fields, own_fields, part_relations
from partnership.core.translated_fields import field_label

EMPTY = "–"


@dataclass(frozen=True)
class Change:
    field: str
    old: str = ""
    new: str = ""
    text: str = ""

    def __str__(self):
        if self.text:
            return f"{self.field}: {self.text}"
        return f"{self.field}: {self.old} → {self.new}"


def part_name(relation):
    """What a kind of part is called: its name on the record ("Parties", "Milestones")."""
    return capfirst(relation.get_accessor_name().replace("_", " "))


def shown(field):
    """Whether a change to the field is worth telling: not the times Django keeps itself."""
    return field.editable or field.name == "publication"


def display(field, value, labels):
    """A stored value as an editor reads it."""
    if value is None or value == "":
        return EMPTY
    if field.is_relation:
        return labels.get(field.name) or f"#{value}"
    if field.choices:
        choices = {str(key): label for key, label in field.flatchoices}
        return str(choices.get(str(value), value))
    if isinstance(value, bool):
        return "yes" if value else "no"
    if field.get_internal_type() in {"DateField", "DateTimeField"}:
        try:
            parsed = field.to_python(value)
        except ValidationError:  # an odd stored value is shown as it is
            return str(value)
        return date_format(
            parsed, "j M Y" if field.get_internal_type() == "DateField" else "j M Y, H:i"
        )
    return str(value)


def _field_changes(fields, old, new):
    changes = []
    old_values, new_values = old.get("fields", {}), new.get("fields", {})
    for field in fields:
        if not shown(field) or field.name not in new_values:
            continue
        before, after = old_values.get(field.name), new_values.get(field.name)
        if before == after or (before in (None, "") and after in (None, "")):
            continue
        changes.append(
            (
                field_label(field),
                display(field, before, old.get("labels", {})),
                display(field, after, new.get("labels", {})),
            )
        )
    return changes


def _quoted(labels):
    return ", ".join(f"“{label}”" for label in labels)


def _link_changes(model, old, new):
    changes = []
    for field in link_fields(model):
        if field.name not in old.get("m2m", {}) or field.name not in new.get("m2m", {}):
            continue
        before = {link["id"]: link["label"] for link in old["m2m"][field.name]}
        after = {link["id"]: link["label"] for link in new["m2m"][field.name]}
        name = capfirst(str(field.verbose_name))
        added = [after[pk] for pk in after if pk not in before]
        removed = [before[pk] for pk in before if pk not in after]
        if added:
            changes.append(Change(name, text=f"added {_quoted(added)}"))
        if removed:
            changes.append(Change(name, text=f"removed {_quoted(removed)}"))
    return changes


def _part_changes(model, old, new):
    changes = []
    for relation in part_relations(model):
        accessor = relation.get_accessor_name()
        if accessor not in old.get("parts", {}) or accessor not in new.get("parts", {}):
            continue
        part_model = relation.related_model
        name = part_name(relation)
        fields = own_fields(part_model, relation.field)
        before = {row["id"]: row for row in old["parts"][accessor]}
        after_rows = new["parts"][accessor]
        after_ids = {row.get("id") for row in after_rows}
        added = [row["label"] for row in after_rows if row.get("id") not in before]
        removed = [row["label"] for pk, row in before.items() if pk not in after_ids]
        if added:
            changes.append(Change(name, text=f"added {_quoted(added)}"))
        if removed:
            changes.append(Change(name, text=f"removed {_quoted(removed)}"))
        for row in after_rows:
            previous = before.get(row.get("id"))
            if previous is None:
                continue
            details = [
                f"{label.lower()}: {was} → {now}"
                for label, was, now in _field_changes(fields, previous, row)
            ]
            details += [str(change).lower() for change in _link_changes(part_model, previous, row)]
            if details:
                changes.append(
                    Change(name, text=f"changed “{previous['label']}”: {'; '.join(details)}")
                )
    return changes


def describe(model, old, new):
    """The changes from state `old` to state `new`, fields first, then links, then parts."""
    changes = [
        Change(label, was, now) for label, was, now in _field_changes(own_fields(model), old, new)
    ]
    return changes + _link_changes(model, old, new) + _part_changes(model, old, new)


def readable_relations(model, state):
    """(name, [labels]) for each link and kind of part in a state, for showing a version."""
    shown_relations = []
    for field in link_fields(model):
        links = state.get("m2m", {}).get(field.name)
        if links is not None:
            shown_relations.append(
                (capfirst(str(field.verbose_name)), [link["label"] for link in links])
            )
    for relation in part_relations(model):
        rows = state.get("parts", {}).get(relation.get_accessor_name())
        if rows is not None:
            name = part_name(relation)
            shown_relations.append((name, [row["label"] for row in rows]))
    return shown_relations
