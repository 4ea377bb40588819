# ruff: noqa: E501 (hand-written fragment lists)
"""Hand-written English fragments for the training corpus generator.

One problem statement per line; a leading "!" marks an emergency.
All text was written for this project.
"""

PROBLEMS = {
    "water": """
no cold water
no hot water since yesterday
hot water is barely warm
the tap water is brown and smells
very low water pressure, the shower barely runs
water comes out rusty
the valve on the riser is dripping
small leak under the sink from the supply pipe
the water meter is leaking a bit
water was shut off without any notice
when will the hot water be back on
pipes are banging and humming at night
water tastes of chlorine
cloudy water with sand in it
no water on the upper floors
the whole entrance has no water since morning
need the riser shut off to replace my faucet
the heated towel rail is cold, hot water not circulating
hot water only after running the tap for 20 minutes
water pressure keeps jumping
!water is pouring through my ceiling from upstairs
!burst pipe in the bathroom, water everywhere
!the hot water riser burst, boiling water on the floor
!my upstairs neighbour is flooding my flat
!water leaking from the ceiling onto the light fitting
!flooded basement, a pipe burst down there
!water is running down the stairs from the flat above
!the tap broke off the riser and we cannot stop the water
!leak from above getting worse, walls soaked
!water dripping from the ceiling next to the wiring
""",
    "sewerage": """
the toilet is blocked
drain blocked in the bathroom, water not going down
kitchen sink won't drain, shared stack is blocked
sewage smell in the stairwell
it stinks of sewage in the flat at night
the basement smells of sewage
the sewer pipe is dripping at the joint
need the drain cleared
gurgling in the toilet when neighbours flush
manhole in the yard is overflowing
the toilet leaks at the connection to the soil pipe
slow drains in the bath and kitchen
!sewage is coming up through the toilet onto the floor
!sewage pouring into my bathroom from the stack
!the basement is flooded with sewage
!sewage pipe burst and it's leaking into the flat below
!raw sewage dripping from the ceiling
!waste water gushing from the sink, cannot stop it
""",
    "heating": """
radiators are barely warm
the radiator is cold at the top
it is cold in the flat, only 17 degrees
need to bleed the radiator
radiator gurgles, there is air in it
it is too hot in the flat, radiators can't be turned down
when will the heating be turned on
when will the heating go off, it's boiling
the radiator drips at the joint
heating riser is cold in the corner room
stairwell radiators are cold
I want to replace a radiator, need the riser switched off
radiator knocks at night
heating is weak
please measure the temperature in my flat
no heating at all, radiators are ice cold and it's minus 20 outside
the whole flat has no heating, 12 degrees inside
!heating switched off for the whole riser during the frost
!radiator burst, hot water spraying
!a radiator valve broke off, boiling water shooting out
!the whole building has no heating in winter
!heating pipe burst in the basement, steam everywhere
no heating since yesterday, we have a baby, 14 degrees at home
""",
    "electricity": """
the stairwell light is out
bulb blown on the landing
it's dark in the stairwell, lighting does not work
the light in the stairwell is on all day
the lights flicker in my flat
no power in my flat, neighbours have it
the breaker keeps tripping in the panel
motion sensor light doesn't turn on
the lamp over the entrance is broken
voltage drops, appliances switch off
the electrical cabinet door on the landing is broken
loose wires hanging in the hallway
the socket in the common corridor is dead
the street light by the building is off
no light in the basement
!sparks coming from the electrical panel on the landing
!the socket is sparking and smoking
!burning smell from the wiring in the stairwell
!the electrical panel is on fire
!exposed live wires at child height
the whole entrance has no power, lift is stuck
power is out in the entire building
!smell of burning plastic from the meter cabinet
!a cable is melting in the panel
!a downed wire is lying in the yard
""",
    "elevator": """
the lift is not working
the elevator has been out for a week
the lift doesn't come when called
the lift jerks and moves very slowly
call button on floor 7 is broken
lift doors won't close
the lift light is out
the lift squeaks and grinds
the service lift is broken
someone smashed the mirror in the lift
lift stops at the wrong floor
the floor display in the elevator is blank
lift doors close too fast and hit people
the emergency call button in the lift doesn't work
when will the elevator be fixed
!we are stuck in the lift
!my child is stuck in the elevator
!someone is trapped in the lift between floors
!my elderly mother is stuck in the lift and feels unwell
!stuck in the elevator with a pram, nobody answers
!the lift dropped several metres with people inside
!the lift is moving with the doors open
!people trapped in the elevator on the 9th floor
""",
    "doors_intercom": """
the intercom doesn't work
intercom does not open the door
the intercom handset doesn't ring
my intercom key fob stopped working
code lock is broken
need a spare intercom key
the door closer is broken, the door slams
the entrance door doesn't close
the front door won't open from inside
magnetic lock is not holding, door always open
how do I get a key to the gate
can't hear the visitor on the intercom
door handle is broken off
the exit button inside doesn't work
strangers get into the building, door not locked
the entrance door lock is broken and the door is wide open in the frost
front door ripped off its hinges, freezing air filling the stairwell in winter
entrance door stuck open at minus 20, pipes may freeze
""",
    "cleaning": """
the stairwell is not cleaned
dirty stairs, floors not washed for ages
the cleaner hasn't come for two weeks
litter on the landing
the floors in the entrance are never mopped
dust and cobwebs in the stairwell
something sticky spilled on the stairs
someone left a mess in the hallway, please clean
it smells of urine in the lobby
the cleaning is poor, they just smear the dirt
dirty mailboxes and handrails
please do a wet clean of the entrance
bottles and cigarette butts on the landing
a dog fouled the stairs
construction dust all over the staircase after renovation
when is the deep clean of the entrance
what is the cleaning schedule
""",
    "waste": """
the garbage hasn't been collected
bins are overflowing
rubbish all over the container area
the garbage chute is blocked
the garbage chute stinks
please take away the old sofa by the entrance
bulky waste left at the entrance
construction waste dumped by the bins
the bin is broken
the chute hatch is broken
trash spilling out of the chute on the floor
who will take away an old wardrobe
the garbage truck hasn't come since Monday
bags of rubbish left in the stairwell
rats around the bins and filth
!the garbage chute is on fire, smoke in the stairwell
!the bins in the yard are on fire
!smoke pouring from the rubbish chute
""",
    "territory": """
the snow in the yard is not cleared
the yard is buried in snow
ice by the entrance, please grit it
the paths are slippery, people are falling
the parking area is not cleared of snow
pothole in the yard
broken asphalt by the entrance
big puddle by the entrance
the swings on the playground are broken
nails sticking out on the playground
the slide is broken
grass is not mowed
please cut down a dead tree
the bench by the entrance is broken
cars parking on the lawn
strangers' cars take all the parking spaces
please install a speed bump
storm drain is blocked, the yard flooded after rain
leaves are not cleared
an abandoned car has been in the yard for a year
!a tree fell onto the playground
!a tree fell on the cars in the yard
!an open manhole without a cover in the yard, a child nearly fell in
""",
    "roof_facade": """
the roof is leaking
rain comes through the roof on the top floor
stains on the ceiling from roof leaks
icicles on the roof need removing
snow on the roof is not cleared
crack in the facade
plaster peeling off the facade
panel joints are letting in draughts
the canopy over the entrance leaks
crack in the wall in the stairwell
the drainpipe is torn off
mould on the wall from the cold joints
the entrance steps are crumbling
the roof hatch is open
!pieces of plaster are falling off the facade onto the pavement
huge icicles hanging right over the entrance door
!a neighbour's balcony is collapsing, bits falling down
!part of a balcony slab fell next to a child
!a brick fell from the facade and nearly hit someone
!the wind tore off roof sheets, they are hanging over the yard
!the entrance canopy collapsed
!snow sliding off the roof in blocks onto the entrance
""",
    "gas": """
need a gas equipment inspection
when is the scheduled gas stove check
weak flame on the stove
the burner barely lights
the gas water heater won't turn on
I want to replace my gas stove, who do I call
the gas was turned off, when will it be back
gas hose is old, needs replacement
I want a gas meter installed
the flame burns yellow and smokes
please send a gas engineer
!smell of gas in the stairwell
!strong gas smell in the kitchen
!gas smell on the landing and a hissing sound
!it smells of gas in the flat
!gas leak in the basement
!the whole landing stinks of gas
!gas smell coming from a neighbour's flat and nobody opens the door
!I smell gas near the meter, what do I do
""",
    "pests": """
rats in the stairwell
rats running in the basement
mice in the flat coming from the basement
cockroaches from the neighbours
lots of cockroaches in the building
bedbugs, we need treatment
please carry out pest control
when is the rodent control in the basement
rats in the garbage chute
fleas in the entrance from the basement
ants all over the kitchen
wasps built a nest under the balcony
pigeons nesting in the attic
please exterminate cockroaches in the whole entrance
""",
    "billing": """
why is my bill so high this month
I didn't receive the bill this month
how do I submit meter readings
the meter readings are not accepted in the app
please recalculate for the days without hot water
double charge for heating
how can I pay without a fee
I paid but the payment is not showing
I need a certificate of no debt
where can I get an account statement
charged by the standard rate even though I have a meter
how do I change the owner on the account
where does this debt come from, I paid everything
why did the tariffs go up
wrong flat area on the bill
please email me the bill
can I pay by card
overpayment, please refund
how do I set up automatic payment
the late fee is wrong
please split the personal account
common area charges are too high
the electricity meter reading was not counted
""",
    "other": """
what are the office hours of the management company
how do I contact the head of the house council
when is the owners meeting
neighbours are noisy at night
neighbour renovates on weekend mornings
people smoke in the stairwell
the TV antenna doesn't work
how to get internet in the building
I need a flood damage report for my flat
thank you to the technician, very quick
how do I book an appointment with the director
who is responsible for the CCTV cameras
neighbours store things on the landing
when is the major repair of the building
how do I file a complaint
I want to thank the janitor
what is the emergency service number
where can I find the minutes of the general meeting
the bot doesn't reply
are you open on holidays
my mailbox is broken, where do I get a key
short term renters upstairs, strangers all the time
can I install an air conditioner on the facade
""",
}

SHORT = {
    "water": "water|no water|hot water|no hot water|water pressure|rusty water",
    "sewerage": "blocked toilet|sewage|drain blocked|clogged drain",
    "heating": "heating|radiators|!no heating|cold radiators|radiator",
    "electricity": "lights|no lights|stairwell light|power|bulb",
    "elevator": "lift|elevator|lift broken|elevator not working",
    "doors_intercom": "intercom|door|keys|key fob",
    "cleaning": "cleaning|dirty stairs|stairwell dirty",
    "waste": "garbage|rubbish|bins|trash|garbage chute",
    "territory": "snow|ice|yard|playground|parking|pothole|barrier|yard gate|!open manhole",
    "roof_facade": "roof|icicles|roof leak|facade",
    "gas": "gas stove|gas inspection|gas engineer|!gas smell|!smell of gas",
    "pests": "rats|cockroaches|bedbugs|mice|pest control",
    "billing": "bill|invoice|meter readings|payment|recalculation|debt|tariff",
    "other": "hello|hi|thanks|?|ok|help|test|question|ventilation|stairwell window",
}

GREETINGS = [
    "Hello",
    "Hi",
    "Good morning",
    "Good evening",
    "Dear management",
    "Dear management company",
    "Hi there",
    "Hey",
    "Excuse me",
    "Good afternoon",
    "To the dispatcher",
]

STREETS = [
    "Lenin St",
    "Gagarin St",
    "Mira Ave",
    "Sadovaya St",
    "Pushkin St",
    "Central St",
    "Lesnaya St",
    "Pobedy Ave",
]

ADDRESS_PATTERNS = [
    "{street} {house}, apt {flat}",
    "flat {flat}",
    "apartment {flat}",
    "apt. {flat}",
    "building {house}, entrance {entrance}",
    "entrance {entrance}, floor {floor}",
    "I live in flat {flat}",
    "this is apt {flat}",
    "{house} {street}, flat {flat}",
    "house {house} block {korp}",
]

PHONE_PATTERNS = [
    "phone +7 9{d2} {d3} {d2} {d2}",
    "call me on 8{d3}{d3}{d4}",
    "my number is +79{d2}{d3}{d4}",
    "tel 8-9{d2}-{d3}-{d2}-{d2}",
]

TIMES = [
    "for three days now",
    "since this morning",
    "since last night",
    "for two weeks",
    "since Monday",
    "for a month already",
    "again",
    "once more",
    "all night",
    "just now",
    "half an hour ago",
    "after your repair",
    "since the weekend",
]

REQUESTS = [
    "Please fix it",
    "Please send someone",
    "When will it be fixed?",
    "Please take action",
    "Please send a technician",
    "What should I do?",
    "Who should I contact?",
    "Please help",
    "Please check",
    "Urgent",
    "URGENT!!!",
    "Please look into it",
    "Can you register a request?",
    "Need a plumber",
    "Any update?",
]

ANGER = [
    "How long is this going to take?!",
    "Do you even work??",
    "This is outrageous!",
    "I will complain to the housing inspectorate",
    "What are we paying for???",
    "Nobody answers the phone",
    "I've called three times already",
    "This is ridiculous",
    "Unbelievable",
    "Fed up with this",
]

CLOSERS = [
    "Thanks",
    "Thank you",
    "Thanks in advance",
    "Waiting for your reply",
    "Regards, Anna",
    "Best regards, John",
    "I am home after 6pm",
    "I'm home all day",
    "Sorry to bother you",
    "Have a nice day",
]

JOINERS = [
    " and also ",
    ". Also ",
    ", plus ",
    ". And ",
    ". Besides, ",
    ". Another thing: ",
]

STORIES = [
    "I'm writing again.",
    "I came home from work and found this.",
    "My elderly mother lives alone.",
    "Here is the situation.",
    "I am the owner of the flat.",
    "The neighbours told me to write here.",
    "I called the dispatcher and they said to write.",
    "A technician came yesterday and did nothing.",
    "I have a small child.",
    "We just moved in.",
    "We came back from holiday and saw this.",
]

# More phrasings, near-misses for emergency words, topic thanks.
EXTRA = {
    "water": """
the water has a weird smell and colour
our water was cut off and nobody warned us
low pressure in the kitchen tap only
the hot tap runs cold
a slow drip from the pipe behind the toilet
I need new water meters sealed
when is the planned water outage over
!water is gushing from under the sink and I can't shut it off
!the ceiling is sagging with water from upstairs
!my neighbour's flat above is flooding into mine right now
!a water pipe burst in the basement and it's filling up
!water leaking through the light fitting
""",
    "sewerage": """
smell of sewage in the flat but no leak
the bathroom drain smells bad
the sink is blocked with the neighbours' waste
please clear the blocked sewer line
the outside drain is blocked and smelly
!sewage overflowing from the toilet into the hallway
!waste water is backing up and flooding the bathroom
""",
    "heating": """
heating is not hot enough in the living room
radiators cold in the stairwell
radiator in the kid's room is lukewarm
need someone to adjust the heating
noisy heating pipes
the heating is completely off and it's freezing outside
!radiator pipe has split and hot water is pouring out
!no heat in the whole flat in winter, we are freezing
""",
    "electricity": """
the corridor light keeps flickering
no light near the mailboxes
light switch in the hall is broken
the bulb outside my door is out
power went off in my flat only
need an electrician for the meter
!smoke coming out of the fuse box
!wires burning in the hallway
!a socket melted and is smoking
!live cable hanging in the stairwell
no electricity in the entire building for hours
""",
    "elevator": """
the lift is parked on the 5th floor and won't move, empty
elevator buttons don't light up
the lift smells awful
lift keeps breaking down
!we're trapped in the elevator, it stopped between floors
!people stuck inside the lift, nobody is coming
!the lift doors opened between floors with people inside
""",
    "doors_intercom": """
intercom button is stuck
my key fob won't open the door
can you reprogram my intercom key
door to the roof is unlocked
the lock on the front door jams
""",
    "cleaning": """
the hallway smells bad and floors are dirty
windowsills in the stairwell are covered in dust
someone spilled paint on the stairs
the lift lobby floor is sticky
""",
    "waste": """
rubbish piling up next to the bins
no recycling container
the chute is closed, where do we put trash
old furniture dumped outside the door
!fire in the garbage chute
""",
    "territory": """
no one salts the paths
the porch is icy
potholes in the parking lot
the benches are broken
trees blocking our windows need trimming
the flower beds are full of weeds
a huge snow bank blocks the exit
!a tree came down on the power lines in the yard
""",
    "roof_facade": """
damp patch on the ceiling from the roof
water runs down the outside wall from the gutter
draught from the wall joints
cracked plaster on the entrance ceiling
!tiles are falling off the facade onto the path
!roof sheets are flying off in the wind
!a balcony collapsed on the building
""",
    "gas": """
the gas stove burns badly
the gas oven won't light
gas boiler keeps switching off
the gas has been off for three days, no way to cook
gas meter seal is broken
!it stinks of gas near the lift
!strong gas odour outside the basement
!I can hear gas hissing from the pipe
!a gas leak, I feel dizzy
""",
    "pests": """
mice in the basement
cockroaches all over the entrance
bedbugs in our flat, neighbours too
fleas coming from the basement
""",
    "billing": """
the amount on the bill doesn't match my readings
I paid through my bank app but it's not showing
wrong number of residents on my bill
why am I charged for hot water when there was none
how do I get into my online account
can I pay my debt in instalments
the bill comes to the wrong address
""",
    "other": """
thanks for fixing the lift so fast
thank you for clearing the snow
thanks to the plumber, all good now
how do I change the management company
who is on duty at the weekend
what email can I write to
the neighbour is threatening me
ok got it
good night
""",
}

# American and British variants, plain-language phrasings.
MORE = {
    "water": """
no running water in the apartment
the faucet water is brown
the kitchen faucet has almost no pressure
hot water heater for the building is down?
we only get cold water from the hot tap
the water main valve is dripping in the basement
water supply keeps going off
is there a scheduled water shutoff today
the pipe under my sink is dripping
!there's water coming down from the apartment above
!our ceiling is leaking badly, water everywhere
!a pipe exploded and the floor is flooded
!water is running down the walls from upstairs
""",
    "sewerage": """
the toilet is clogged and won't flush
the shower drain backs up
the main sewer line seems blocked
bad sewer odor in the building
water rises in the toilet when the neighbours flush
the drain in the basement is clogged
!sewage is backing up into my tub
!the toilet is overflowing with sewage
""",
    "heating": """
when does the heat come on this fall
the heat is weak in my apartment
radiator is cold in one room
the heating pipes are clanging
our heater in the bedroom isn't warm
the apartment is too cold, around 17 degrees
!the heat is out and it's freezing, we have small children
!a radiator exploded and hot water is everywhere
""",
    "electricity": """
the hallway is pitch dark, bulbs are out
the light in the lobby is broken
the motion light on my floor doesn't work
outlet in the hall has no power
the electricity keeps going out in my unit
exterior lights on the building are off
!the outlet is smoking
!I can smell burning wires in the corridor
!the breaker box is buzzing and sparking
""",
    "elevator": """
the elevator is out again
elevator not coming to my floor
the lift makes a loud banging noise
the elevator doors keep reopening
the mirror in the elevator is smashed
freight elevator out of service
!my neighbor is stuck in the elevator
!elevator stopped between floors with my kids inside
""",
    "doors_intercom": """
the buzzer doesn't work
my fob doesn't open the front door
the lobby door won't lock
the door buzzer isn't letting visitors in
the front door closer is broken and it slams
need a replacement fob
the garage gate is broken
the door code doesn't work
""",
    "cleaning": """
the hallways are filthy
nobody has swept the stairs for ages
the lobby floor is never mopped
trash left in the hallway for days
the stairwell smells and is dirty
please clean the elevator lobby
""",
    "waste": """
the dumpster is overflowing
trash pickup didn't happen this week
garbage bags piled up by the dumpster
the trash room stinks
someone left a couch next to the dumpsters
recycling bins are full
!the dumpster is on fire
""",
    "territory": """
the sidewalk is covered in ice
nobody shoveled the walkway
snow hasn't been plowed in the parking lot
the playground equipment is broken
broken glass on the playground
the lawn needs mowing
the courtyard is full of litter and leaves
cars parked on the sidewalk
a dead tree in the courtyard should be removed
""",
    "roof_facade": """
the roof leaks into my bedroom when it rains
water stains on the top floor ceiling from the roof
the gutters are clogged and overflowing
cracks in the exterior wall
the balcony concrete is crumbling
!pieces of the facade fell onto the sidewalk
huge icicles over the front entrance
""",
    "gas": """
the gas burner won't light
need my gas appliances checked
the gas water heater keeps going out
gas service was shut off, when will it be restored
!I smell gas in the hallway
!there's a gas odor in the basement
!smells like gas near my door
""",
    "pests": """
we have bed bugs
there are roaches in the kitchen
mice droppings in the cupboards
rats in the courtyard
a wasp nest on the balcony
please send the exterminator
pest control for cockroaches needed
""",
    "billing": """
I have a question about my bill
my statement shows a balance I already paid
how do I pay my utility bill
can you explain the charges on my invoice
my meter reading was entered wrong
I need a receipt for my payments
the rent and utilities invoice is wrong
how do I get a refund for the overpayment
""",
    "other": """
what time does the office open
who is the building manager
can I get a copy of the house rules
noisy neighbours upstairs
loud music at night next door
the satellite dish is not allowed?
how can I contact the board
thank you for your help
thanks for fixing the heating
thank you for cleaning the yard
good morning
""",
}

OBJECTS = {
    "water": "water supply|hot water|cold water|faucet|tap|water pipe|water meter|water pressure|riser valve",
    "sewerage": "sewage|toilet|drain|sewer|sink drain|soil pipe|sewer line",
    "heating": "heating|radiator|heat|heating riser|towel rail",
    "electricity": "lighting|light bulb|power|electric panel|socket|wiring|fuse box|hallway lights",
    "elevator": "elevator|lift|freight elevator|lift buttons|elevator doors",
    "doors_intercom": "intercom|entry door|key fob|door lock|buzzer|door closer",
    "cleaning": "cleaning|stairwell cleaning|mopping|janitor service|hallway cleanliness",
    "waste": "garbage|trash|bins|dumpster|garbage chute|bulky waste|recycling",
    "territory": "yard|snow removal|ice on the path|playground|parking|sidewalk|lawn|courtyard|trees|barrier|yard gate|parking barrier",
    "roof_facade": "roof|facade|icicles|gutter|balcony slab|roof leak|exterior wall",
    "gas": "gas|gas stove|gas boiler|gas meter|gas pipe|gas inspection",
    "pests": "rats|mice|cockroaches|bedbugs|pest control|extermination|insects",
    "billing": "bill|invoice|payment|charges|meter readings|account|debt|tariff|refund|receipt",
    "other": "meeting|house council|office hours|complaint|neighbours|noise|antenna|internet|documents|stairwell window|ventilation|extractor fan",
}

OBJECT_TEMPLATES = [
    "{obj} not working",
    "{obj} problem",
    "{obj} again",
    "question about {obj}",
    "{obj}!!!",
    "issue with {obj}",
    "{obj} broken",
    "what about the {obj}?",
    "re: {obj}",
    "complaint: {obj}",
    "{obj} request",
]

# Water, sewerage and heating told apart, the roof and the facade, emergencies
# beside their calm look-alikes; many in the English of tenants for whom it is a second
# language.
EXTRA3 = {
    "water": """
only a thin stream from the tap, washing machine can't fill
hot tap gives ice cold water
water from the kitchen tap is cloudy and tastes of iron
the flexible hose to the mixer is leaking a little under the sink
the toilet cistern keeps filling and hissing
no hot water in my flat, only cold is coming
in my apartment is not hot water since two days
water from tap is yellow colour, is it safe to drink
very weak water, shower is not possible
the kitchen tap is dripping all night, please change washer
small leak under bathroom sink, I put a bowl
the hot water is only lukewarm, not hot like should be
water was switched off and nobody tell us why
pipes make loud noise when I open the water
the water meter is sweating and dripping a little
there is no water on 9 floor, lower floors have
!water is coming from ceiling very much, neighbour upstairs not home
!please help, flat is flooding, water from the upstairs
!pipe is broken in bathroom, water is going everywhere, cannot close it
!the hose of washing machine burst and water is pouring out
!water running down the wall from the flat above onto the socket
!ceiling is sagging with water and dripping in many places
!basement full of water from a broken pipe, it keeps rising
""",
    "sewerage": """
the bath won't drain, grey dirty water stays in it
waste water backs up into my sink when upstairs flushes
the toilet is clogged, the plunger does not help
the pipe under the bath is dripping and smells of sewer
sink in kitchen is blocked completely
drain in the shower is gurgling and smells bad
toilet is blocked, water not going down
kitchen sink is not draining, dirty water stays
bad smell of sewer in bathroom, especially evening
sewage smell on the ground floor landing for a week
it smells like toilet in the stairwell, nothing is leaking
the drain in shower is very slow
when neighbours flush, water comes up in my sink
the sewer well in the yard is blocked and smells
the soil pipe is leaking a little at the joint
!sewage coming out of the toilet on the floor, please come fast
!the sewer burst in the basement and it is full of sewage
!dirty water with sewage pouring from ceiling of my toilet
!toilet is overflowing with sewage and it doesn't stop
""",
    "heating": """
the radiator leaks at the joint, small puddle on the floor
the heating riser in bathroom drips at the thread
kitchen radiator is not warming, other rooms are fine
heating is too weak, 18 degrees in the flat
radiators are red hot, 30 degrees inside, please turn down
radiator is banging and clicking all night
one radiator in bedroom is cold, the others are ok
radiators only warm on the top, bottom is cold
in my flat is 17 degrees, radiators are barely warm
the heating pipes knock and bang at night
too hot in the apartment, radiators boiling, please adjust
need to bleed the air from radiator, it is cold
small drip from the radiator valve, I put a towel
when the heating will be turned on, it is cold already
the radiator on the stairwell is cold, landing is freezing
!the whole building has no heating and outside is minus twenty
!no heating in all flats of our entrance since yesterday, it is freezing
!heating is switched off for the whole block in this frost
!radiator burst and hot water is pouring on the floor
!the heating pipe broke and boiling water is spraying in the kitchen
""",
    "roof_facade": """
steps of the porch are crumbling, hard to walk
the wall of the corner flat gets wet when it rains
water drips from the entrance canopy onto the door
attic roof is leaking, puddles in the loft
roof is leaking after rain, stain on the ceiling, we are top floor
water comes from the roof into top floor flat every time it rains
the seams between panels let the wind and rain in, wall is wet
crack on the facade from the roof down to second floor
the drainpipe came loose and water runs down the wall
gutter is blocked, water overflows on the wall
balcony slab is cracked underneath, rebar is visible
canopy over the entrance is leaking
a lot of snow on the roof, please clean it before it melts
paint is peeling off the building outside
big icicles hanging over the entrance where people walk
!a piece of the facade fell down on the pavement, almost hit someone
!the wind ripped off roof sheets and they are hanging over the yard
!pieces of concrete falling from the balcony above onto the path
!bricks are falling from the parapet on the sidewalk
!snow and ice sliding off the roof onto the entrance, children walk there
""",
    "gas": """
the gas stove is not lighting well, flame goes out
gas water heater does not switch on
when is the gas equipment check
!strong smell of gas on the stairs, second floor
!smells like gas in kitchen, the stove is off
!gas smell from neighbour door, nobody is opening
""",
    "electricity": """
the light on my landing is not working, it is dark
socket in kitchen is not working
the breaker trips when I use kettle and washing machine
!socket is sparking and smells burnt
!something is burning in the electrical box in hallway, smoke
no electricity in the whole building, lift is not working
""",
    "elevator": """
lift is not working, standing with doors closed, nobody inside
the lift button on 5 floor is broken
lift is shaking and making noise
!my child is stuck in the lift, he is crying
!lift stopped between floors, my grandmother is inside and feels bad
!we are stuck in elevator half hour already
""",
    "cleaning": """
nobody clean the stairs for two weeks, very dirty
the entrance floor is sticky and smells, please wash it
cleaner does not come on our staircase anymore
somebody vomited in the lift and nobody cleaned it
dust and cobwebs everywhere in the hallway
the mailboxes area is full of flyers and dirt
can you wash the windows on the staircase
mud from the street all over the entrance hall
""",
    "waste": """
the bins are full and rubbish is lying around them
garbage was not taken for four days, it smells in the yard
the rubbish chute is blocked on my floor
someone left an old sofa by the bins, who takes it
no separate bin for plastic, where to put it
crows and dogs are tearing the garbage bags
the container area is a mess, bags everywhere
when is the collection of big items like furniture
""",
    "territory": """
nobody cleared the snow from the path to the entrance
the yard is all ice, old people are slipping
big hole in the asphalt in front of our building
the swing on the playground is broken, kids can get hurt
cars are parked on the grass and the sidewalk
please put sand on the steps, very slippery
the bench near the entrance is broken
grass was not cut all summer
""",
    "doors_intercom": """
the intercom is not working, guests cannot call me
my key fob stopped opening the front door
the entrance door does not close and bangs all night
the door closer is broken, door slams
code lock on the door is broken, anyone can come in
how to get a new key for the entrance door
the intercom handset in my flat makes no sound
""",
    "pests": """
cockroaches in the kitchen, coming from neighbours
we have mice in the flat, I hear them at night
rats near the bins and in the basement
bed bugs in my apartment, can the building be treated
many flies from the basement, please disinfect
wasps made a nest under our balcony
fleas in the hallway from the basement cats
when is the next pest control in the building
""",
    "billing": """
my bill is too high this month, please check
I paid but the payment is not in my account
why do I pay for hot water when there was none
how do I send my water meter readings
I need a recalculation because I was away
there is a debt on my bill but I paid everything
what is this extra charge for maintenance
can I get a copy of my bill by email
""",
    "other": """
who is the manager of our building
when is the next meeting of residents
neighbours make noise every night after midnight
can I get a document that I live here
thank you, the plumber fixed everything
how can I contact the chairman of the house council
I want to install a camera in the hallway, is it allowed
what are your office hours
""",
}

# Ways of saying a problem that the other lists lack: a pest named with the place it lives
# in, a leak named with its cause, and calm look-alikes of emergencies (an icicle still
# hanging, a leaning tree, cigarette smoke, a flat or a building without power).
EXTRA4 = {
    "pests": """
rats run between the bins every evening, I'm scared to take the rubbish out
cockroaches crawl out of the rubbish chute onto our landing
pigeons nest under the roof and foul the top floor windowsills
swarms of mosquitoes fly up from the damp basement into the flats
I hear mice scratching behind the kitchen skirting board
a rat ran across the children's playground this morning
wasps have built a nest under a balcony
please treat the basement and the bin room for rodents
""",
    "other": """
teenagers sprayed paint all over the stairwell walls
somebody wrote on the wall of the landing with a marker, please paint over it
a stranger has been sleeping on our staircase for days
the lock of my letterbox was broken and my post disappears
my neighbour smokes on his balcony and it drifts into our bedroom
how do we organise a residents' meeting
""",
    "territory": """
it's pitch dark in the courtyard, the lamp posts don't come on
an old tree in the yard leans badly towards the building, please check it
broken twigs and branches all over the pavement after the wind
""",
    "electricity": """
the light over the entrance porch has burnt out, it's dark at the door
no power in the kitchen sockets, the rest of the flat is fine
the breaker trips whenever the kettle and microwave run together
a socket is coming out of the wall
the power is off in our entrance, when will it be back
!something cracked in the junction box and now there's a smell of burnt insulation
""",
    "doors_intercom": """
the glass panel of the entrance door is cracked and may fall out
""",
    "heating": """
the valve on my radiator won't shut, I want it replaced
please drain the heating riser for a day, we are fitting new radiators
!the radiator started leaking and hot water is spreading over the floor
!the whole heating riser is cold, every flat above and below us is freezing
""",
    "water": """
!the dishwasher hose came off and the kitchen is under water
""",
    "sewerage": """
the bath drains very slowly, water sits there after every shower
the waste pipe under the sink has a crack and it is damp underneath
!foul water from the neighbours' toilet is dripping through our ceiling
!the basement is full of sewage from a broken drain pipe
""",
    "roof_facade": """
the roof leaks after every rain, damp patches on the top floor ceilings
icicles have grown on the ledge over the entrance, please knock them down
!the roof can't hold the rain, water runs from the ceiling of my top floor flat into buckets
!an icicle broke off the roof and smashed right by the entrance
""",
    "billing": """
my gas bill doubled although we hardly use the stove
the radiators were barely warm all October, please recalculate the heating charge
""",
    "gas": """
we are replacing our gas cooker, do we need the gas service to connect it
""",
}

# Problems told at the place of another category's equipment (a mess by the lift, rats at
# the bins, a lamp over the entrance door, smoke from the chute), a bill that names a utility,
# and the labels of the independent authors where a problem could sit in two categories (a
# barrier or an open manhole is the yard's; a stairwell window or ventilation is "other").
EXTRA5 = {
    "territory": """
the lamp posts along the footpath in the yard are dark
the lamp post by the playground has been dark for a week
ruts in the yard after the tractor, you can't push a pram through
a plank is broken on the playground swing
the barrier won't open
the gate to the yard is broken
the gate remote doesn't work
the parking barrier is stuck open
the gate doesn't close behind cars
the gate to the yard does not open with the remote
the barrier at the car entrance to the yard is stuck down, residents can't drive in
our yard barrier has been stuck up for days, anybody parks here now
somebody bent the barrier arm, it hangs crooked over the driveway
the barrier came down on my car and scratched the roof
the boom gate does not react when I call it from my phone
the vehicle gates to the courtyard won't open
!the cover of the well on the footpath is gone, there's a gaping hole
!someone stole the manhole lid by the garages, the hole is in the driveway
!the sewer manhole by the car park is open, the lid lies next to it
!sewer manhole cover missing
a cracked branch is hanging over the pavement, could drop any moment
a dead limb of the tree leans over the bench by the entrance
the kerb at the yard exit has crumbled, cars scrape on it
""",
    "cleaning": """
there's dog mess on the floor right in front of the lift doors
the floor of the lift is covered in muddy footprints and litter
someone left food wrappers and cans in the lift, please clear them
the walls of the lift are smeared with something sticky, please wipe them
the area by the chute hatch is filthy and sticky, please mop it
the lobby by the letterboxes is littered with leaflets and dirt
a drunk was sick by the front door, it's still there
somebody threw up in the lift, the smell is terrible, please clean it
soil from a plant pot was spilt by the lift and trodden all over the landing
someone dropped a tin of paint near the lift and it's tracked across the floor
they mop the stairs with dirty water, it's worse after cleaning
sand and grit crunch underfoot on the stairs, no one sweeps
someone left a bag of food waste on the landing and it reeks
someone peed on the stairs again, the stench is awful, please mop
drunks made a mess on the landing windowsill, bottles and food scraps
cat poo under the staircase, the ground floor reeks
somebody smashed a jar of jam by the lift doors, it's all sticky
beer spilled all over the lift floor, sticky and smelly
there is a puddle of urine by the lift on the ground floor
the area around the rubbish chute hopper is smeared with filth, please wash it
broken bottle glass all over the stairs, please sweep it
someone threw up on the steps between the third and fourth floors
a dog left its mess by the mailboxes in the lobby
the hallway walls are covered in advertising flyers, please clean them off
the entrance vestibule is muddy and wet and nobody mops it
the lift lobby is full of cigarette ends and sunflower seed shells
the lift is grimy and smells bad, it hasn't been washed in ages
""",
    "pests": """
mice dart out whenever I open the rubbish chute hatch
there are rats in the bin room, we hear them when we drop bags
cockroaches gather around the chute hatch on every floor
a rat keeps coming out of the bin shelter by our entrance
flies breeding in the rubbish chute room, the landing is full of them
mice scurry around the rubbish chute on our floor
rats cross from the bin area straight to our front door
a mouse jumped out of the rubbish chute hopper at me
rats by the bin room every evening, please do pest control
rats rummage in the bins in the yard, children are scared
a rat was sitting on the lid of the bin by our entrance
cockroaches climb up the rubbish chute to every floor
rats running around the playground slide, please put poison down
pigeons have settled in the attic, feathers and droppings everywhere, close their way in
cockroaches come in through the bathroom vent grille
fleas in the basement under us, they jump onto our legs
""",
    "other": """
the front door of my own flat sags and scrapes the floor, who can adjust it
our balcony door doesn't close tightly and there's a draught
my key snapped in the lock of my flat door and I can't get in
my upstairs neighbours stomp around all night, can you talk to them
someone put a wardrobe on our landing and it blocks the way
where can I see the minutes of the meeting about major repairs
the window in the stairwell is broken
no glass in the stairwell window
stairwell window doesn't close
the stairwell window won't shut
broken window in the hallway
stairwell window has no glass, very draughty
the glass in the staircase window is cracked
window in the stairwell is broken, very cold
the bathroom extractor doesn't pull air at all, the mirror fogs and black spots in the corners
no draught in the kitchen vent, cooking smells hang around for days
we get the neighbours' cooking and tobacco smells through our vent
the ventilation shaft needs cleaning, there has been no draught for months
cold air blows back out of the vent grille
my neighbour blocked the vent duct during his renovation, now we have no ventilation
I want to replace the front door of my own flat, do I need permission?
the lock on my flat door broke, can your locksmith come?
someone sprayed graffiti by the entrance door, please paint over it
rude words written all over the lift doors and walls, please paint them over
the communal TV aerial gives no signal, every channel is fuzzy
the stairwell window was smashed, there's a draught on the stairs
the window frame on our landing won't shut, the sash is loose
a pane in the staircase window is cracked, at least tape it up
the letterboxes hang crooked and don't lock, please repair them
the handrail on the stairs wobbles, it needs fixing and painting
""",
    "electricity": """
the porch light by the building door has been off for days
the lamp in the entrance lobby by the front door is broken
the light near the lift on the ground floor doesn't switch on
the lamp over the door to the basement is burnt out
only every other lamp works in the corridor by the flats
the motion sensor light on our floor only comes on if you stamp
the electrical cabinet on the landing has no door, wires sticking out
the lamp over the entrance door of our block is out, it's dark at the door
the light above the front door flickers and goes off
the bulb by the lift on our floor is not working
the lift lobby is dark, the lamps have burnt out
no light near the mailboxes on the ground floor
the light switch on our landing does nothing
""",
    "waste": """
a bag is stuck in the rubbish chute and the hatch won't open
the bins were taken away and no new ones delivered
someone dumped an old sofa by our entrance, please take it away
!the rubbish chute is smouldering, there's a burning smell from every hatch
bins overflowing again and bags lying around them, rats too
!smoke is pouring out of the rubbish chute hatch on our floor
!rubbish is smouldering in the bin room and smoke is coming up the stairs
!somebody set a rubbish container on fire in the yard
the rubbish chute hopper on our landing is jammed with food waste and stinks
""",
    "water": """
we want to replace the heated towel rail, please shut off the riser
the float valve in the cistern is broken and the water won't shut off
the kitchen mixer tap drips even when closed
!WATER POURING FROM THE CEILING COME NOW
the basement under our entrance has had standing water for a month
it's wet under the kitchen sink, the cold water hose joint drips
!the toilet cistern hose came off and water is gushing onto the floor
""",
    "heating": """
the towel rail is cold but radiators are fine
the heating pipes bang and knock at night
there's air in the radiator, it gurgles and only half of it warms up
!a radiator section burst in the bedroom and boiling water is pouring out
!the air vent valve snapped off the radiator and hot water is spraying
!hot water keeps running out of the radiator, we can't empty the bucket fast enough
""",
    "billing": """
the amount for gas on my bill is far more than we use
they charged us for gas twice on the same bill
please recalculate the heating charge for November, it was sixteen degrees at home
I want the heating charge reduced, the radiators hardly worked all month
this month's gas bill is three times the usual, please check the charge
my gas bill is huge and I only cook on the stove
the heating charge on my bill looks like it's for a much bigger flat, please check
why is gas billed at the standard rate when we have a meter
we were billed a fortune for hot water although we had none for half the month
please recalculate the heating charge, the radiators were barely warm all month
the common area electricity charge on the bill tripled
why did the rubbish collection line on my bill go up
what papers do I need for a discount on utility payments
""",
    "doors_intercom": """
the lobby door won't lock, the magnet doesn't hold it
the intercom panel outside crackles and the line to the flats keeps dropping
I bought a new fob from you and it doesn't open the door
the handset in my flat is silent when visitors buzz from downstairs
the numbers on the intercom panel are worn off
the entrance door no longer latches, it stays ajar
someone knocked the glass out of the entrance door, shards on the porch
the glass in the front door has a spider crack and may fall out
""",
    "sewerage": """
it's wet under the bath, the waste hose is leaking
sewage is welling up out of the drain manhole in the yard onto the path
""",
    "gas": """
the gas boiler keeps going out and shows an error
the gas water heater goes out after a minute, no time to shower
the flue of our gas water heater pushes fumes back into the kitchen
who replaces the hose on a gas cooker, mine has dried out
""",
    "roof_facade": """
!after the downpour the roof let water through into our top floor room, we put out bowls
the concrete apron around the building is broken up and the foundation is crumbling
outside, a crack is running down the wall under our window
wind blows in through the joint around the window from outside
the metal sill under the window outside was torn loose by the wind
the render on the front of the building is bulging and peeling
the drainpipe has come away from the wall and swings around
the entrance canopy leaks, rain pours onto the steps
""",
    "elevator": """
the lamp inside the lift car is dead, we ride in the dark
""",
}

# A mess named by the place it lies in, vermin by the bins, a loose handrail, snow to clear
# off a roof, hot water too cool, a recalculation asked while the flat is still cold (the
# heating) or for a past period only (billing), a tariff or an account, a flat's own lock.
EXTRA6 = {
    "cleaning": """
someone left empty cans and sweet wrappers all over the lift floor
the elevator floor is filthy and smells of urine
flyers and sweet wrappers all over the floor by the mailboxes
the lift floor is covered in cigarette butts and sticky soda
someone smashed a jar on the landing by the lift, the shards are still there
broken glass scattered in the entrance lobby, kids walk past it
""",
    "pests": """
rats run around the bins in the yard every evening
a mouse ran out of the rubbish chute hatch on our landing
cockroaches crawl out of the garbage chute onto the stairs
""",
    "other": """
the stair railing wobbles when you hold on to it
the handrail between floors is coming away from the wall
the key just spins in the lock of my flat's door
my mailbox won't close, its little door is bent
""",
    "roof_facade": """
there's a thick layer of snow on the roof, it needs clearing
please arrange for the snow to be cleared off the roof
""",
    "water": """
the hot water is lukewarm at best, my thermometer shows about 40
""",
    "heating": """
our radiators are barely warm and the bedroom shows 15 degrees, come and check, then adjust the bill
""",
    "billing": """
the radiators were off for ten days in October, please adjust that month's heating charge
who approved the new, higher price for cold water?
we are the new owners of flat 8, how do we get the bills in our name
""",
}
