// One handler per command type; see docs/commands.md for what each emits.
#pragma once

#include "decider.hpp"

namespace rembuk::model::handlers {

// handlers_masterplan.cpp
void create_masterplan(Decider& d);
void set_masterplan_identity(Decider& d);
void set_masterplan_period(Decider& d);
void set_rpjmd_reference(Decider& d);
void set_vision(Decider& d);
void add_mission(Decider& d);
void update_mission(Decider& d);
void remove_mission(Decider& d);
void add_strategic_issue(Decider& d);
void update_strategic_issue(Decider& d);
void remove_strategic_issue(Decider& d);
void add_readiness_entry(Decider& d);
void update_readiness_entry(Decider& d);
void remove_readiness_entry(Decider& d);
void submit_masterplan(Decider& d);
void start_review(Decider& d);
void approve_masterplan(Decider& d);
void reopen_masterplan(Decider& d);
void enable_plugin(Decider& d);
void disable_plugin(Decider& d);

// handlers_bimtek.cpp
void record_mou(Decider& d);
void schedule_bimtek_stage(Decider& d);
void record_bimtek_stage_held(Decider& d);
void set_bimtek_experts(Decider& d);
void record_bimtek_attendance(Decider& d);
void set_bimtek_stage_notes(Decider& d);
void close_bimtek_stage(Decider& d);
void reopen_bimtek_stage(Decider& d);
void add_gap(Decider& d);
void remove_gap(Decider& d);
void add_strategy(Decider& d);
void update_strategy(Decider& d);
void remove_strategy(Decider& d);
void set_program_missions(Decider& d);
void set_program_plan_reference(Decider& d);
void set_quick_win_profile(Decider& d);
void record_commitment_letter(Decider& d);
void withdraw_commitment_letter(Decider& d);
void record_presentation(Decider& d);

// handlers_people.cpp
void register_opd(Decider& d);
void rename_opd(Decider& d);
void retire_opd(Decider& d);
void reinstate_opd(Decider& d);
void add_member(Decider& d);
void change_member_role(Decider& d);
void remove_member(Decider& d);
void add_comment(Decider& d);
void resolve_comment(Decider& d);

// handlers_text.cpp
void edit_text(Decider& d);

// handlers_program.cpp
void add_program(Decider& d);
void update_program(Decider& d);
void remove_program(Decider& d);
void set_program_years(Decider& d);
void set_program_lead_opd(Decider& d);
void add_supporting_opd(Decider& d);
void remove_supporting_opd(Decider& d);
void set_quick_win(Decider& d);
void set_program_budget(Decider& d);
void remove_program_budget(Decider& d);
void add_indicator(Decider& d);
void update_indicator(Decider& d);
void remove_indicator(Decider& d);
void set_indicator_target(Decider& d);
void remove_indicator_target(Decider& d);

}  // namespace rembuk::model::handlers
