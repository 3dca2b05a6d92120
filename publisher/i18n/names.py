"""Messages named by a code in the data: kinds of things and ADMS statuses (the ADMS
status vocabulary has English labels only)."""

from __future__ import annotations

from publisher.i18n import N_

KIND_NAMES: dict[str, str] = {
    "offering": N_("Offering"),
    "product": N_("Product"),
    "service": N_("Service"),
    "supplier": N_("Supplier"),
    "licence": N_("Licence"),
    "layer": N_("Layer"),
    "component": N_("Component"),
    "aspect": N_("Openness aspect"),
    "domain": N_("Service domain"),
    "phase": N_("Delivery phase"),
    "route": N_("Procurement route"),
    "scheme": N_("Concept scheme"),
}
STATUS_NAMES: dict[str, str] = {
    "Completed": N_("Completed"),
    "UnderDevelopment": N_("Under development"),
    "Deprecated": N_("Deprecated"),
    "Withdrawn": N_("Withdrawn"),
}
