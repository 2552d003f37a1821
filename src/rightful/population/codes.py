"""Codes shared by the population and the processes: worker situations, flags, firm kinds.

Worker situations are those of the conceptual model (docs/ODD.md): working, on strike, in a
dispute, out of work, gone home, detained, fired; a fired worker is out of work with the FIRED
flag history recorded as a flow.
"""

# worker status (int8)
WORKING = 0
STRIKING = 1
DISPUTE = 2  # left the job and pursuing a claim (arbitration, court)
SEEKING = 3  # slot vacant: its last occupant quit or was fired; refilled by a new hire
HOME = 4  # gone home for the New Year (returns, or the slot is refilled)
DETAINED = 5
N_STATUS = 6
STATUS_NAMES = ("working", "striking", "dispute", "seeking", "home", "detained")

# worker flags (uint8 bits)
CONTRACT = 1
INSURED = 2
INJURED = 4
ORGANISER = 8
BAREFOOT = 16  # self-taught 'barefoot lawyer' trained by an autonomy-fostering NGO
NGO = 32  # has had contact with an NGO
UNION = 64  # union member
LEADER = 128  # led a strike: may be fired later

# worker claim stage (int8)
C_NONE = 0
C_MGMT = 1  # complained to management
C_BUREAU = 2  # complained to the labour bureau (may be redirected)
C_NGO = 3  # sought an NGO's help (conciliation / case building)
C_ARB = 4  # in the arbitration committee's queue
C_COURT = 5  # in court

# firm sector / ownership / union (int8)
SECTORS = ("manufacturing", "construction", "services")
MANUFACTURING, CONSTRUCTION, SERVICES = 0, 1, 2
OWNERSHIPS = ("domestic_private", "state", "foreign")
DOMESTIC, STATE, FOREIGN = 0, 1, 2
UNIONS = ("none", "bridge", "representative")
U_NONE, U_BRIDGE, U_REP = 0, 1, 2

# strike outcome / responses (int8)
OUTCOMES = ("ongoing", "won", "partly_won", "lost")
O_ONGOING, O_WON, O_PARTIAL, O_LOST = 0, 1, 2, 3
MGMT = ("none", "concede", "partly_concede", "fire_leaders", "call_police")
M_NONE, M_CONCEDE, M_PARTIAL, M_FIRE, M_POLICE = 0, 1, 2, 3, 4
# who reported a strike: its zone's own papers, or an outspoken outlet from elsewhere (and then the local papers)
PRESS = ("none", "local", "outspoken")
P_NONE, P_LOCAL, P_OUTSPOKEN = 0, 1, 2
# force_and_negotiate: police push the strikers back while officials negotiate (Hai Yan)
OFFICIAL = ("none", "ignore", "repress", "negotiate", "force_and_negotiate")
OF_NONE, OF_IGNORE, OF_REPRESS, OF_NEGOTIATE, OF_FORCE_TALK = 0, 1, 2, 3, 4
