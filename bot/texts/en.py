"""English texts: the service's second language."""

CATEGORIES = {
    "water": "Water supply",
    "sewerage": "Drains and sewerage",
    "heating": "Heating",
    "electricity": "Electricity",
    "elevator": "Lift",
    "doors_intercom": "Doors and intercom",
    "cleaning": "Cleaning",
    "waste": "Rubbish",
    "territory": "Grounds and yard",
    "roof_facade": "Roof and facade",
    "gas": "Gas",
    "pests": "Pests",
    "billing": "Bills and payments",
    "other": "Other",
}

URGENCIES = {"emergency": "🚨 Emergency", "urgent": "Urgent", "normal": "Normal"}

STATUSES = {
    "new": "new",
    "assigned": "assigned to a technician",
    "accepted": "accepted",
    "in_progress": "in progress",
    "postponed": "postponed",
    "cannot_do": "cannot be done by the technician",
    "done": "done, awaiting confirmation",
    "reopened": "reopened",
    "closed": "closed",
    "rejected": "rejected",
    "cancelled": "cancelled",
}

LOCATIONS = {
    "apartment": "Flat",
    "entrance": "Entrance",
    "floor": "Floor",
    "basement": "Basement",
    "attic": "Attic",
    "roof": "Roof",
    "yard": "Yard",
    "stairwell": "Stairs / landing",
    "elevator": "Lift",
    "parking": "Parking",
}

TEXTS = {
    # resident: greeting and help
    # Shown by a channel to a person who opened its chat before writing.
    "welcome": "Hello! I'm the dispatch bot of your property management company. Tap «▶️ Start» to report a problem or ask about your request.",
    "btn_begin": "▶️ Start",
    "greeting": (
        "Hello! I'm the emergency and maintenance dispatch bot of your property management "
        "company.\n"
        "Describe the problem in one message — the address, flat or entrance and what happened "
        "(a photo helps), and I'll log a request, give you its number and keep you updated.\n"
        "Commands: /my — my requests, /help — help, /cancel — cancel input."
    ),
    "help": (
        'How to report a problem: write, for example, "Lenina St 5, apt 12 — kitchen tap '
        'is leaking" or send a photo.\n'
        "/my — your open requests\n"
        '"status 1001" — the status of a request by its number\n'
        "/new — new request\n"
        "/cancel — cancel current input\n"
        "/lang — switch to Russian"
    ),
    "lang_set": "Language: English.",
    "cancelled_input": "OK, cancelled. If anything comes up, just write to me.",
    "nothing_to_cancel": "There's nothing to cancel. Describe the problem and I'll log a request.",
    "state_reset": "Sorry, I lost track of our conversation. Let's start over.",
    "unsupported": "I can't read this kind of message yet. Please send text or a photo.",
    "photo_empty": "The photo arrived empty. Please send it again.",
    "photo_too_large": "The photo file is too large. Please send a smaller picture.",
    "photo_not_image": "I couldn't open this photo. Please send an ordinary picture (JPEG, PNG, GIF or WebP).",
    "photo_too_many_pixels": "The photo has too many pixels. Please send a smaller picture.",
    "photo_too_small": "The photo is too small to show anything. Please send a larger picture.",
    "photo_bad_shape": "The photo is too long and narrow for messengers to show. Please send an ordinary picture.",
    "too_long": (
        "Your message is too long ({length} characters, the limit is {limit}). Please shorten it."
    ),
    "stale": (
        "This action is no longer available: the request has changed or this button has expired."
    ),
    "not_found": "Request not found.",
    "error": "Sorry, I couldn't process your message. Please try again or rephrase it.",
    "photo_not_shown": "📷 The photo could not be shown here: the messenger did not accept it.",
    # resident: filing
    "ask_building": "What's the address? Type the street and house number or choose one:",
    "ask_building_again": (
        "I couldn't find that building among the ones we manage. "
        "Choose from the list or write the address differently:"
    ),
    "building_other": "Another address",
    "ask_location": "Where exactly? Choose a place or type the flat number ({address}):",
    "ask_apartment": "Type the flat number (1–{max}):",
    "ask_entrance": "Type the entrance number (1–{max}):",
    "bad_apartment": "Flats in this building are numbered 1 to {max}. Type the flat number:",
    "bad_entrance": "Entrances in this building are numbered 1 to {max}. Type the entrance number:",
    "ask_description": "Please describe what happened:",
    "description_short": "Please describe the problem in a bit more detail (at least a few words):",
    "ask_category": "What kind of problem is it?",
    "ask_category_guess": "Looks like: {category}. Is that right?",
    "yes_right": "Yes, that's right",
    "other_type": "Something else…",
    "ask_photos": 'Send photos of the problem (several are fine) or tap "Skip".',
    "photo_added": 'Photo added ({count}). Send more or tap "Done".',
    "too_many_photos": "You can't attach more than {limit} photos to one request.",
    "photos_done": "Done",
    "skip": "Skip",
    "ask_phone": 'Leave a contact phone number (optional) — type it or tap "Skip".',
    "bad_phone": (
        'That doesn\'t look like a phone number. Type one like +7 912 345-67-89, or tap "Skip".'
    ),
    "summary": (
        "Please check your request:\n"
        "Address: {address}\n"
        "Place: {location}\n"
        "Type: {category}{emergency}\n"
        "Description: {description}\n"
        "Photos: {photo_count}\n"
        "Phone: {phone}"
    ),
    "summary_emergency": " (🚨 emergency)",
    "summary_resident_emergency": " (🚨 emergency — marked by you)",
    "mark_emergency": "🚨 It's an emergency",
    "unmark_emergency": "Not an emergency",
    "advice_marked": (
        "🚨 The request is marked as an emergency: the dispatcher will see it at once, with "
        "an emergency's deadline. If anyone's life is at risk, call 112; if you smell gas, 104."
    ),
    "emergency_unmarked": "The emergency mark is removed.",
    "emergency_stays": (
        "The emergency was recognised from your description, so the mark stays: if it is "
        "not one, the dispatcher will lower the urgency."
    ),
    "none": "none",
    "confirm": "✅ Confirm",
    "edit": "✏️ Edit",
    "cancel": "✖️ Cancel",
    "ask_edit_field": "What would you like to change?",
    "field_building": "Address",
    "field_location": "Place",
    "field_category": "Type",
    "field_description": "Description",
    "field_photos": "Photos",
    "use_buttons": "Please choose an option with a button or type your answer.",
    "filed": (
        "Request #{number} has been logged.\n"
        "{category}, {address}, {location}.\n"
        "Due by: {deadline}.\n"
        "A dispatcher will assign a technician and I'll keep you posted at every step. "
        'To check on it, write "status {number}".'
    ),
    # emergency advice (before anything else)
    "advice_gas": (
        "⚠️ Smell of gas — danger! Right now: don't switch lights or appliances on or off, "
        "don't use any open flame, open the windows, leave the premises and call "
        "the gas emergency service on 104, or 112 from a mobile. I'll log a request with "
        "the management company as well."
    ),
    "advice_water": (
        "⚠️ If water is leaking: shut off the valve on the riser in your flat, cut the power to "
        "wet sockets and appliances, and warn the neighbours below. The emergency team will get "
        "the request."
    ),
    "advice_sewage": (
        "⚠️ If sewage is coming out: don't drain any water or use the sinks, bath and toilet, ask "
        "the neighbours on your riser not to drain either, and keep out of a flooded basement. "
        "The emergency team will get the request."
    ),
    "advice_electricity": (
        "⚠️ Sparks or a burning smell: don't touch the wires or the fuse box, switch off the "
        "circuit breaker if you can, and call 112 if there's smoke or fire."
    ),
    "advice_fire": "⚠️ If there's a fire or smoke, call 112 immediately and leave the building.",
    "advice_elevator": (
        "⚠️ If people are stuck in the lift: they should press the call button in the car and "
        "not try to get out on their own. The request will be urgent."
    ),
    "advice_generic": (
        "⚠️ This looks like an emergency: the request will be urgent. "
        "If anyone's life is at risk, call 112."
    ),
    # resident: my requests, status, comments
    "my_requests_empty": "You have no open requests.",
    "my_requests": "Your open requests:",
    "request_line": "#{number} — {category}, {address}: {status}; due {deadline}",
    "status_line": "Request #{number}: {status}.\n{category}, {place}.\nDue by: {deadline}.",
    "add_comment_btn": "💬 Comment / photo for #{number}",
    "cancel_request_btn": "✖️ Cancel #{number}",
    "ask_comment": "Write a comment or send a photo for request #{number}:",
    "comment_added": "Added to request #{number}.",
    "ask_cancel_reason": "Why are you cancelling request #{number}? A few words are enough:",
    "request_cancelled": "Request #{number} has been cancelled.",
    # resident: notifications
    "n_assigned": "A technician has been assigned to request #{number}: {technician}.",
    "n_accept": "Technician {technician} has accepted request #{number}.",
    "n_start": "Technician {technician} has started work on request #{number}.",
    "n_postpone": "Work on request #{number} has been rescheduled to {until}. Reason: {reason}",
    "n_cannot_do": (
        "The technician couldn't complete request #{number}: {reason}. "
        "A dispatcher will assign someone else."
    ),
    "n_done": "Work on request #{number} is complete.{comment}\nIs the problem fixed?",
    "n_done_comment": "\nTechnician's comment: {text}",
    "done_yes": "✅ Yes, all done",
    "done_no": "❌ No, not fixed",
    "ask_reopen_reason": (
        "What's still wrong with request #{number}? Tell me and I'll pass it on to the "
        "technician and the dispatcher:"
    ),
    "reopened_ok": "Request #{number} has been reopened. We'll let you know once it's fixed.",
    "n_confirm": "Request #{number} is closed. Thank you! Please rate the work from 1 to 5:",
    "n_close": "Request #{number} has been closed by the dispatcher.{reason}",
    "n_reject": "Request #{number} has been rejected. Reason: {reason}",
    "n_cancel": "Request #{number} was cancelled by the resident who filed it. If the problem is still there for you, write to us and we'll file a new request.",
    "n_comment_from_tech": "Message from the technician about request #{number}: {text}",
    "n_comment_from_dispatcher": "Message from the dispatcher about request #{number}: {text}",
    "group_comment": "💬 #{number} · {who}: {text}",
    "n_comment_from_resident": "Message from the resident about request #{number}: {text}",
    "thanks_rating": "Thanks for your rating {stars}!",
    "reason_suffix": " Comment: {reason}",
    # technician
    "tech_help": (
        "You're a technician. Jobs arrive here as cards with buttons.\n"
        "/jobs — my jobs by due date\n"
        "/cancel — cancel input"
    ),
    "job_card": (
        "{marker}Job for request #{number}\n"
        "{category} · {urgency}\n"
        "Address: {address}, {location}\n"
        "Description: {description}\n"
        "Due by: {deadline}\n"
        "Status: {status}{phone}{extra}"
    ),
    "job_phone": "\nResident's phone: {phone}",
    "job_reopened": "\nThe resident reopened the request: {reason}",
    "jobs_empty": "You have no open jobs.",
    "jobs": "Your jobs by due date:",
    "btn_accept": "✅ Accept",
    "btn_decline": "✖️ Decline",
    "btn_start": "▶️ Start",
    "btn_postpone": "⏸ Postpone",
    "btn_cannot_do": "⛔ Can't do it",
    "btn_done": "✅ Done",
    "btn_write_resident": "💬 Message resident",
    "ask_decline_reason": "Why are you declining request #{number}?",
    "ask_postpone_reason": "Why are you postponing request #{number}?",
    "ask_postpone_date": (
        "Reschedule to when? Choose or type a date and time (for example, {example} or “tomorrow at 2 pm”):"
    ),
    "bad_date": "I didn't understand the date. Type it like {example} or “Monday morning”.",
    "tomorrow": "Tomorrow 10:00",
    "day_after": "Day after tomorrow 10:00",
    "in_week": "In a week",
    "ask_cannot_do_reason": "Why can't request #{number} be done?",
    "ask_report": (
        "Send photos of the completed work on request #{number} and a short comment, "
        'then tap "Done".'
    ),
    "report_photo_added": "Photo added to the report ({count}).",
    "report_comment_added": "Comment saved.",
    "report_empty": "Please send at least a photo or a comment for the report.",
    "ask_message_resident": "Write a message to the resident about request #{number}:",
    "message_sent": "Sent.",
    "done_ok": "Done: request #{number} — {status}.",
    "n_job_unassigned": "Request #{number} has been reassigned to another technician.",
    "n_job_closed": "Request #{number} is closed.",
    "n_job_confirmed": "The resident confirmed request #{number} is done.",
    "n_job_reopened": "The resident reopened request #{number}: {reason}",
    "n_job_cancelled": "The resident cancelled request #{number}.",
    "n_job_rejected": "Request #{number} was rejected by the dispatcher: {reason}",
    "n_rated": "Rating for request #{number}: {stars}",
    "n_reclassify": (
        "Request #{number} was updated by the dispatcher: {category}, {urgency}. "
        "Due by: {deadline}."
    ),
    # dispatcher
    "card": (
        "{marker}Request #{number} · {status}\n"
        "{category} · {urgency}\n"
        "Address: {address}, {location}\n"
        "Description: {description}\n"
        "Resident: {reporter}{phone}\n"
        "Assignee: {assignee}\n"
        "Due by: {deadline}{reporters}{event}"
    ),
    "card_reporters": "\nReported by: {count}",
    "card_claim_resident": (
        "\n🙋 The resident marked it an emergency, the classifier did not: "
        'keep or change the urgency ("⚡ Urgency")'
    ),
    "card_claim_reviewed": "\n🙋 The resident marked it an emergency, a dispatcher kept it",
    "card_unassigned": "unassigned",
    "card_overdue": " ⚠️ overdue",
    "btn_assign": "👷 Assign",
    "btn_type": "🏷 Type",
    "btn_urgency": "⚡ Urgency",
    "btn_comment": "💬 Comment",
    "btn_reject": "✖️ Reject",
    "btn_close": "✔️ Close",
    "btn_history": "📜 History",
    "btn_deadline": "⏰ Deadline",
    "ask_deadline": "New deadline for request #{number} (now: {deadline}). Type a date and time, for example {example}, “tomorrow at 2 pm” or “in 2 hours”. /cancel to cancel.",
    "deadline_usage": "Type the request number and the deadline, for example: /deadline 1001 {example}",
    "pick_technician": "Who should be assigned to request #{number}?",
    "no_technicians": "No technicians available.",
    "pick_category": "New type for request #{number}:",
    "pick_urgency": "New urgency for request #{number}:",
    "ask_dispatch_comment": "Write a comment on request #{number}:",
    "ask_reject_reason": "Reason for rejecting request #{number}:",
    "dispatch_help": (
        "Dispatch desk. New requests arrive here as cards.\n"
        "/open — open requests (filters: building, type, technician, status)\n"
        "/overdue — overdue · /today — due today · /load — technicians' load\n"
        "/find 1001 or /find Lenina 5 — find by number or address\n"
        "/deadline 1001 tomorrow 18:00 — a request's new deadline\n"
        "/show 1001 (or /status 1001) — a request with its history\n"
        "/incident Lenina 5 no hot water until 18:00 — declare an accident · /incidents — active ones\n"
        "/outage Lenina 5 planned hot water shut-off from 10:00 until 18:00 — tell the building's "
        "residents of an outage (and later of its end)\n"
        "/resolve 7 — accident or outage #7 is over\n"
        "/merge 1001 1002 — merge requests · /split 1001 — give a resident a request of their own\n"
        "/failed — undelivered and unprocessed messages\n"
        "/stats week — charts for a period (today, week, month, 7d, 2026-11-01..2026-11-30)\n"
        "/cancel — cancel input · /help — this help"
    ),
    "open_empty": "No open requests.",
    "open_list": "Open requests ({count}):",
    "open_line": "#{number} · {status} · {category} · {address} · {assignee} · due {deadline}",
    "history": "History of request #{number}:",
    "history_line": "{at} — {who}: {action}{comment}",
    "history_claim": " · 🙋 marked an emergency by the resident",
    "failed_empty": "No undelivered or unprocessed messages.",
    "failed_list": "Undelivered messages:",
    "failed_inbox_list": "Unprocessed incoming messages:",
    "failed_line": "#{id} {channel}/{chat}: {error}",
    "ev_job": "",
    "ev_assign": "Assigned: {technician}",
    "ev_accept": "Technician accepted",
    "ev_decline": "Technician {technician} declined: {reason}",
    "ev_start": "Technician started work",
    "ev_postpone": "Postponed until {until}: {reason}",
    "ev_cannot_do": "⛔ Technician can't do it: {reason} — needs reassigning",
    "ev_done": "Done, awaiting the resident's confirmation",
    "ev_confirm": "Resident confirmed the work is done",
    "ev_reopen": "Resident reopened it: {reason}",
    "ev_close": "Closed by the dispatcher",
    "ev_reject": "Rejected: {reason}",
    "ev_cancel": "Resident cancelled the request: {reason}",
    "ev_reclassify": "Type/urgency changed",
    "ev_emergency_kept": "The dispatcher kept the emergency the resident marked",
    "a_resident": "A resident",
    "ev_deadline": "Deadline changed: {deadline}",
    "n_deadline": "The dispatcher changed the deadline of request #{number}: {deadline}.",
    "stats_usage": "Give a period: /stats today, /stats week, /stats month, /stats 7d or /stats 2026-11-01..2026-11-30 (a year at most).",
    "stats_caption": "Requests {since} — {until}: {opened} filed, {closed} closed, {emergencies} emergencies; {within} within the deadline; median time to finish {finish} h; average rating {rating}.",
    "stats_none": "no data",
    "ev_comment": "💬 {text}",
    "ev_rated": "Resident's rating: {stars}",
    "comment_saved": "Comment added to request #{number}.",
    "refused_not_allowed": "You're not allowed to do this.",
    "refused_wrong_status": 'This action isn\'t available now: the request is "{status}".',
    "refused_stale": (
        "This action is no longer available: the request has just been changed. "
        "See the latest card."
    ),
    "refused_reason_required": "A reason is required.",
    "refused_bad_assignee": "This technician can't be assigned.",
    "refused_already_assigned": "The request is already assigned to this technician.",
    "refused_bad_date": "The date must be in the future.",
    "refused_unchanged": "Nothing has changed.",
    "refused_already_rated": "You've already rated this request.",
    "refused_bad_rating": "The rating must be from 1 to 5.",
    "refused_empty": "Empty message.",
    "refused_not_found": "Request not found.",
    "unknown_command": "I don't know that command. /help — list of commands.",
    # onboarding
    "invite_ok_staff": "All set, {name}! You're connected as {role}.",
    "invite_ok_group": "This chat is now connected as the dispatchers' group.",
    "invite_bad": "This invitation link is invalid or has already been used.",
    "role_technician": "a technician",
    "role_dispatcher": "a dispatcher",
    "role_admin": "an administrator",
    "group_not_staff": "Only dispatchers can use this group's buttons.",
    "location_common": "{kind}",
    "location_number": "{kind} {number}",
    "place": "{address}, {location}",
    "no_deadline": "not set",
    "someone": "resident",
    "dispatcher_name": "dispatcher",
    # mass incidents and duplicates
    "ask_duplicate": "This looks already reported: request #{number} — {category}, {place}, filed {filed_at} ({status}). Is it the same problem?",
    "dup_join": "Yes, that's it (#{number})",
    "dup_new": "No, a different problem",
    "n_joined": "We already know about this problem: request #{number} ({status}). I've added you to it, so you'll get every update, and passed what you wrote (and your photos, if any) to the dispatcher. The resident who filed it confirms the work or cancels the request.",
    "ev_joined": "Another resident reported this problem",
    "ev_joined_said": "Another resident reported this problem: {text}",
    "refused_not_author": "The resident who filed this request decides that. You joined it: I'll tell you how it ends, and you can add a comment or photo with /my.",
    "n_done_follower": "Work on request #{number} is complete. If the problem is still there for you, write to us and we'll file a new request.",
    "n_confirm_follower": "Request #{number} is closed: the work is done. Thank you for reporting it!",
    "n_autoclose_follower": "Request #{number} is closed: the work is done. If the problem is still there for you, write to us and we'll file a new request.",
    "refused_already_reported": "You have already reported this problem.",
    "incident_known": "We already know about this: {description} ({address}){until}. No need to file a request; I'll tell you when it's fixed.",
    "incident_until": ", expected until {until}",
    "incident_other": "My problem is different: file a request",
    "incident_declared": "📢 Outage #{id} declared: {category}, {address}{entrance} — {description}{until}.\nResidents who write about it will get the answer at once.",
    "incident_entrance": ", entrance {entrance}",
    "btn_incident": "📢 Building-wide outage",
    "btn_resolve": "✔️ Resolved",
    "incident_resolved_group": "Outage #{id} resolved: {description} ({address}). Residents told: {count}.",
    "n_incident_resolved": "Fixed: {description} ({address}). Thank you for your patience!",
    "incident_usage": "Write: /incident <address> <what happened> [until HH:MM], e.g. /incident Lenina 5 no hot water, planned works until 18:00",
    "incident_no_building": "I couldn't find the building in the text. Example: /incident Lenina 5 no hot water until 18:00",
    "incidents_empty": "No active outages.",
    "incidents_list": "Active outages:",
    "incident_line": "#{id} · {category} · {address}{entrance} · {description}{until}",
    "staff_unreachable": "⚠️ {name} can't be reached on {channel}: the bot was blocked or the chat deleted. Jobs are not delivered; contact them another way or reassign their requests.",
    "filed_auto": (
        "Request #{number} has been logged.\n"
        "{category}, {address}, {location}.\n"
        "Due by: {deadline}.\n"
        "Technician assigned: {technician}. I'll keep you posted at every step. "
        'To check on it, write "status {number}".'
    ),
    # dispatch operations: automatic assignment, reminders, escalation, monitor
    "ev_auto_assign": "🤖 Assigned automatically: {technician}{why}",
    "ev_needs_manual": "❗ Needs manual assignment: {why}",
    "ev_autoclose": "Closed automatically: the resident did not answer in {hours} h",
    "ev_not_accepted": "The technician did not accept in time",
    "why_filed": "",
    "why_decline": " — the previous technician declined",
    "why_cannot_do": " — the previous technician cannot do it",
    "why_not_accepted": " — the previous technician did not accept in time",
    "why_on_duty": " (on duty)",
    "nobody_no_matrix": "nobody is responsible for this building and type of work (responsibility matrix)",
    "nobody_all_excluded": "every responsible technician has already declined",
    "nobody_all_absent": "every responsible technician is away (vacation, sick leave, day off)",
    "nobody_none_on_duty": "no technician is on shift now",
    "nobody_all_busy": "every responsible technician has too many open jobs",
    "remind_accept": "\n⏰ Reminder: accept the job or decline it.",
    "remind_due": "\n⏰ The deadline is {deadline}.",
    "remind_overdue": "\n⚠️ The job is overdue (the deadline was {deadline}). Finish it or postpone it with a reason.",
    "raise_unassigned": "❗ Request #{number} ({category}, {address}) still has nobody assigned — assign a technician.",
    "raise_emergency": "🚨 Emergency #{number} not accepted yet! {category}, {address}, {location}. Status: {status}, technician: {technician}.",
    "raise_not_accepted": "❗ {technician} did not accept request #{number} in time and nobody else fits — assign it by hand.",
    "raise_overdue": "⚠️ Request #{number} is overdue: the deadline was {deadline}. {category}, {address}. Status: {status}, technician: {technician}.",
    "escalate": "🔺 Escalation: request #{number} is overdue by more than a reminder period.\n{category} · {urgency}\nAddress: {address}, {location}\nDeadline: {deadline}\nStatus: {status}, technician: {technician}\n{history}",
    "n_autoclose": "Request #{number} was closed automatically: you did not answer in {hours} h. If the problem is still there, write to us and we'll file a new request. Please rate the work:",
    "n_job_autoclosed": "Request #{number} was closed automatically: the resident did not answer in {hours} h.",
    "group_low_rating": "⚠️ Low rating {stars} for request #{number} ({category}, {address}), technician: {technician}.",
    "digest": "☀️ Digest for {day}\nNew: {new}, closed: {closed}, reopened: {reopened}\nOverdue now: {overdue}{overdue_list}\nOpen per technician:\n{load}{worst}",
    "digest_load_line": "• {technician}: {count}",
    "digest_worst": "\nWorst ratings of the week:\n{lines}",
    "digest_worst_line": "• #{number} · {stars} · {technician}",
    "overdue_empty": "No overdue requests.",
    "overdue_list": "Overdue requests ({count}):",
    "today_empty": "Nothing is due today.",
    "today_list": "Due today ({count}):",
    "load_empty": "No active technicians.",
    "load_list": "Technicians' load (open jobs):",
    "load_line": "{technician}: {count}{absent}",
    "load_absent": " · away",
    "find_empty": "Nothing found.",
    "find_list": "Found ({count}):",
    "find_usage": "Write: /find 1001 or /find Lenina 5",
    "open_usage": "Filters for /open: building (address or code), type, technician, status. For example: /open Lenina 5 · /open elevator · /open Ivanov · /open assigned",
    "system_name": "system",
    "admin_unknown_filter": 'Unknown filter "{value}". {usage}',
    # merging and splitting
    "n_merged": "Your request #{source} was merged with request #{number} about the same problem ({status}). Updates will come for #{number}.",
    "ev_merged_into": "Merged into request #{into}",
    "ev_merged_from": "Request #{source} merged in (its residents now get this one's updates)",
    "ev_split": "A resident was split off into request #{into}",
    "merge_usage": "Write: /merge <into> <which>, e.g. /merge 1001 1002 merges request 1002 into 1001.",
    "merged_ok": "Request #{source} merged into #{into}.",
    "split_pick": "Which resident should get a request of their own, split off #{number}?",
    "split_none": "Request #{number} has no other residents who reported it.",
    "split_usage": "Write: /split <request number>",
    "refused_same_request": "A request can't be merged with itself.",
    "refused_other_building": "The requests are about different buildings and can't be merged.",
    "refused_not_a_co_reporter": "This resident did not report this request separately.",
    "reply_btn": "↩️ Reply",
    # linking messengers
    "link_code": "Code to link another messenger: {code}\nOpen the bot in the other messenger and send it: /link {code}\nThe code works once, for {minutes} minutes. Do not share it: it gives that messenger access to your requests.",
    "link_done": 'Done: this messenger is linked to the profile "{name}". Your requests are visible here; notices go where you wrote last (to choose a messenger: /channel).',
    "link_already": "This messenger is already linked to your profile.",
    "link_bad": "That code did not work: it is wrong, already used or expired. Get a new one with /link in a messenger that is already linked.",
    "link_locked": "Too many wrong codes. Please try again after {time}.",
    "link_staff_identity": "This messenger belongs to a staff account and cannot be relinked with a code. Please ask an administrator.",
    "link_has_requests": "Only a messenger that has not filed requests can be linked to a staff account. Use another account or ask an administrator.",
    "unlink_done": "This messenger is unlinked from the profile. Your requests and notices stay with your other messengers; here you start afresh.",
    "unlink_only": "This is your only messenger; there is nothing to unlink.",
    "channel_list": "Where should notices go? Now: {current}.\nYour messengers:\n{identities}",
    "channel_line": "• {channel}: {name}, last used {seen}{unreachable}",
    "channel_unreachable": " (unreachable)",
    "channel_last": "where you wrote last",
    "channel_btn_last": "Where I wrote last",
    "channel_set": "Notices will go to {channel}. If it is unreachable, to another of your messengers.",
    "channel_set_last": "Notices will go where you wrote last.",
    "channel_unknown": "This messenger is not linked to your profile. /channel lists the linked ones.",
    # choices shown as text where a channel has no room for buttons
    "choose_number": "Reply with the option's number or its name.",
    "choose_letter": "Reply with the option's letter or its name.",
    "type_phone": "Type the phone number in a message.",
    "type_location": "Type the address or the place in a message.",
    "outside_window": "Not delivered: more than {hours} h have passed since the person's last message, and there is no other way to reach them.",
    # understanding residents: places, dates, plurals
    "location_in_entrance": "entrance {entrance}",
    "location_on_floor": "floor {floor}",
    "location_flat_where": "{flat} ({where})",
    "n_residents": "resident|residents",
    "n_buildings": "building|buildings",
    "n_staff": "staff member|staff members",
    "n_matrix_entries": "matrix entry|matrix entries",
    "n_open_jobs": "open job|open jobs",
    "declined_ok": "You declined request #{number}. It will go to another technician.",
    "cannot_do_ok": "Request #{number} went back to the dispatchers with your reason.",
    "show_usage": "Type the request number, for example: /show 1001",
    "advice_flooded": (
        "⚠️ If water is coming from the flat above: cut the power to the wet rooms and sockets, "
        "don't touch wet appliances, put out buckets and, if you can, go up to the neighbours. "
        "The emergency team will get the request."
    ),
    "greeting_short": (
        "Hello! I'm the emergency and maintenance dispatch bot of your property management "
        "company: I'll log a request, give you its number and keep you updated.\n"
        "Commands: /my — my requests, /help — help, /cancel — cancel input."
    ),
    "date_past": "{when} is already in the past. Type a date and time in the future, for example {example}.",
}

#: The letters that mark the options of a lettered list.
OPTION_LETTERS = "abcdefghjkmnpqrstuvwxyz"

#: Words that name an option by its place, as a whole reply.
ORDINALS = {
    **dict.fromkeys(("first", "1st"), 1),
    **dict.fromkeys(("second", "2nd"), 2),
    **dict.fromkeys(("third", "3rd"), 3),
    **dict.fromkeys(("fourth", "4th"), 4),
    **dict.fromkeys(("fifth", "5th"), 5),
    **dict.fromkeys(("sixth", "6th"), 6),
    **dict.fromkeys(("seventh", "7th"), 7),
    **dict.fromkeys(("eighth", "8th"), 8),
    **dict.fromkeys(("ninth", "9th"), 9),
    **dict.fromkeys(("tenth", "10th"), 10),
}

#: Number words that name an option of a numbered list.
CARDINALS = {
    "one": 1,
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
    "ten": 10,
}

# -- emergency stages, quiet nights, escalation ladder, outages, digest --------
TEXTS.update(
    {
        "refused_not_emergency": "Only emergencies have stages (localisation, restoration).",
        "refused_wrong_stage": "An emergency's stages go in order: on site → localised → restored → repaired. See the fresh card.",
        "btn_arrived": "📍 On site",
        "btn_localised": "🛑 Localised",
        "btn_restored": "💡 Supply restored",
        "btn_repaired": "✅ Repaired",
        "stage_accepted": "accepted",
        "stage_arrived": "technician on site",
        "stage_localised": "localised",
        "stage_restored": "supply restored",
        "stage_repaired": "repaired",
        "card_stage": "\nStage: {stage}",
        "card_escalated": "\n🔺 Escalated: {title} — {names}",
        "with_phone": "{name}, phone {phone}",
        "n_stage_arrived": "Technician {technician} is on site for emergency request #{number}.",
        "n_stage_localised": "The emergency of request #{number} is localised: no further damage. Restoration and repair follow.",
        "n_stage_restored": "Supply is restored for request #{number}. The damage will be repaired in full; I'll let you know.",
        "ev_localise": "Emergency localised",
        "ev_restore": "Supply restored",
        "ev_escalated": "Escalated: {title} — {names}",
        "remind_due_stage": "\n⏰ Stage “{stage}” is due {deadline}.",
        "remind_overdue_stage": "\n⚠️ Stage “{stage}” is late (due {deadline}). Mark it with its button as soon as it is done.",
        "raise_overdue_stage": "⚠️ Emergency #{number}: stage “{stage}” is late (due {deadline}). {category}, {address}. Assignee: {technician}.",
        "raise_emergency_duty": "🚨 You are on duty: emergency #{number} is not taken. {category}, {address}, {location}. Assignee: {technician}. Call the dispatcher or take the job.",
        "ladder": "🔺 Escalation ({title}): request #{number} is late.\n{category} · {urgency}\nAddress: {address}, {location}\nDeadline: {deadline}\nStatus: {status}\nWhom to call: assignee {call}; resident {resident}\n{history}",
        "why_held": " — filed out of hours, assigned when the working day began",
        "ev_held": "Filed out of hours: will be assigned when the working day begins",
        "outage_usage": "Write: /outage <address> [entrance N] <what> [from HH:MM] until [DD.MM] HH:MM, e.g. /outage Lenina 5 planned hot water outage from 10:00 until 18:00. Every known resident of the building is told.",
        "outage_declared_planned": "📢 Planned outage #{id}: {category}, {address}{entrance} — {description}, from {start}{until}.\nResidents told: {count}. Whoever writes about it gets the answer at once; everyone hears when it ends.",
        "outage_declared_unplanned": "📢 Unplanned outage #{id}: {category}, {address}{entrance} — {description}, from {start}{until}.\nResidents told: {count}. Whoever writes about it gets the answer at once; everyone hears when it ends.",
        "n_outage_planned": "📢 Planned outage: {description} — {address}{entrance}, from {start} until {until}. No need to file a request: I'll tell you when it is back.",
        "n_outage_unplanned": "📢 Unplanned outage: {description} — {address}{entrance}, from {start}, expected until {until}. A crew is on it; no need to file a request: I'll tell you when it is back.",
        "outage_over_group": "Outage #{id} ended at its announced time: {description} ({address}). Residents told: {count}.",
        "digest_nearly": "\nDue within {hours} h: {list}",
        "digest_on_time": "\nDone on time yesterday: {share}% ({on_time} of {total})",
        "digest_reaction": "\nMedian yesterday: filing to acceptance {accept}, to the technician on site {on_site}",
        "digest_minutes": "{minutes} min",
        "digest_awaiting": "\nAwaiting the resident's confirmation: {list}",
        "digest_repeated": "\nRepeated requests in {days} days:\n{lines}",
        "digest_repeated_line": "• {address} — {category}: {count}",
        "digest_outages": "\nActive outages:\n{lines}",
        "digest_outage_line": "• #{id} {address} — {description}",
        "digest_duty": "\nOn duty today:\n{lines}",
        "digest_duty_line": "• {technician}{phone}: {hours}",
        "digest_no_duty": "\nNobody is on the duty roster today.",
    }
)

# -- CSV imports (command line and console): why a file or one of its lines is refused --
TEXTS.update(
    {
        "imp_line": "line {line}: {message}",
        "imp_no_file": "no such file",
        "imp_not_utf8": "not UTF-8 text (a spreadsheet saves it with “Save as… → CSV UTF-8”; a Windows-1251 file is not read)",
        "imp_missing_columns": "missing column(s): {columns}",
        "imp_no_rows": "no rows",
        "imp_bad_csv": "not a readable CSV file ({reason})",
        "imp_whole": "{name} must be a whole number >= {low}, got {value}",
        "imp_building_code": "code must be 1-32 letters, digits, - or _",
        "imp_duplicate_code": "duplicate code {code}",
        "imp_address": "address is required (at most 200 characters)",
        "imp_too_long": "{name} must be at most {n} characters of plain text",
        "imp_staff_code": "code is required (at most 32 characters)",
        "imp_role": "role must be technician, dispatcher or admin",
        "imp_resident": "residents are not imported as staff",
        "imp_name": "name is required (at most 200 characters)",
        "imp_active": "active must be 1, 0 or empty, got {value}",
        "imp_unknown_building": "unknown building {code}",
        "imp_unknown_category": "unknown category {category} (one of {known} or *)",
        "imp_no_technician": "name at least one technician",
        "imp_not_technician": "{code} is not a technician",
        "imp_technician_twice": "a technician is named twice",
        "imp_given_above": "{building},{category} is already given above",
        "imp_day": "day must be mon..sun or a date YYYY-MM-DD, got {value}",
        "imp_shift_kind": "kind must be work, duty or off, got {kind}",
        "imp_date_past": "the date {date} is in the past",
        "imp_off_needs_date": "a day off needs a date, not a weekday",
        "imp_time": "bad time {value} (use HH:MM)",
        "imp_shift_backwards": "the shift ends before it starts",
        "imp_shift_overlap": "overlaps the shift on line {other}",
        "imp_absence_kind": "kind must be {kinds}, got {kind}",
        "imp_dates": "from and to must be dates YYYY-MM-DD",
        "imp_absence_backwards": "the absence ends before it starts",
        "imp_absence_past": "the absence is in the past ({date})",
        "imp_no_area": "no building is in the area {area}",
        "imp_after": "after_minutes must be 0..{most}",
        "imp_step_title": "give the step a title (up to 100 characters)",
        "imp_not_staff": "{code} is not a staff code (or {duty})",
        "imp_step_twice": "{scope} already has a step after {after} minutes",
        "n_shifts": "shift|shifts",
        "n_absences": "absence|absences",
        "n_ladder_steps": "escalation step|escalation steps",
    }
)
