// The six national dimensions of the Gerakan Menuju 100 Smart City, three elements each,
// built into the kernel. Ids are English snake_case and stable; names are Indonesian and
// English. Plugins add local-wisdom pillars beside these (see extensions.hpp).
#pragma once

#include <string_view>
#include <vector>

#include "rembuk/model/extensions.hpp"
#include "rembuk/model/state.hpp"

namespace rembuk::model {

// governance, branding, economy, living, society, environment (in that order).
const std::vector<Pillar>& national_dimensions();

const Pillar* find_national_dimension(std::string_view id);

// The pillars valid for `state`: the six national dimensions plus the pillars of the
// plugins `state` enabled, as `extensions` (may be null) reports them.
std::vector<Pillar> pillars_for(const MasterplanState& state, const Extensions* extensions);

}  // namespace rembuk::model
