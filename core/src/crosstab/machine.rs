//! The cross-tab machine's election: joining, leading, following, the
//! beats and a follower's takeover, leaving ([`CrossTab::handle`]).

use alloc::vec::Vec;

use super::{
    CrossTab, Fx, Leadership, Message, Role, TabEffect, TabId, TabInput, HEARTBEAT_MS, MALFORMED,
    MAX_TAB_ID, TAKEOVER_AFTER_MS, TAKEOVER_JITTER_MS,
};

impl CrossTab {
    /// The machine of tab `tab` (a unique id); `jitter_ms` (0 to
    /// [`TAKEOVER_JITTER_MS`]) is added to its takeover delay.
    pub fn new(tab: TabId, jitter_ms: f64) -> Self {
        Self {
            tab,
            role: Role::Solo,
            joined: false,
            leader: None,
            epoch: 0,
            connected: false,
            heard_ms: 0.0,
            stealing: false,
            graced_ms: f64::NAN,
            acked_ms: 0.0,
            jitter_ms: jitter_ms.clamp(0.0, TAKEOVER_JITTER_MS),
            owners: Vec::new(),
            peers: Vec::new(),
            peers_unfinished: false,
        }
    }

    /// This tab's role.
    pub fn role(&self) -> Role {
        self.role
    }

    /// This tab's id.
    pub fn tab(&self) -> TabId {
        self.tab
    }

    /// In the leader: how many followers it keeps track of (at most
    /// [`super::MAX_PEERS`]).
    pub fn peer_count(&self) -> usize {
        self.peers.len()
    }

    /// In a follower: the leader's connection is `connected` (as last heard).
    pub fn leader_connected(&self) -> bool {
        self.role == Role::Follower && self.connected && self.leader.is_some()
    }

    /// When the facade's cross-tab timer must deliver [`TabInput::Tick`]:
    /// the leader's next beat, or a follower's takeover.
    pub fn next_wakeup(&self) -> Option<f64> {
        match self.role {
            _ if !self.joined => None,
            Role::Leader => Some(self.heard_ms + HEARTBEAT_MS),
            Role::Follower => {
                let ack = self.acked_ms + HEARTBEAT_MS;
                Some(match self.stealing {
                    true => ack,
                    false => ack.min(self.heard_ms + TAKEOVER_AFTER_MS + self.jitter_ms),
                })
            }
            _ => None,
        }
    }

    /// Feeds one input; returns the effects to carry out, in order.
    pub fn handle<S: Clone>(&mut self, input: TabInput<S>) -> Fx<S> {
        let mut fx = Vec::new();
        match input {
            TabInput::Join { now_ms } if !self.joined => {
                self.joined = true;
                self.heard_ms = now_ms;
                fx.push(TabEffect::RequestLock {
                    wait: false,
                    steal: false,
                });
            }
            TabInput::LockGranted { now_ms } if self.joined => self.lead(now_ms, &mut fx),
            TabInput::LockBusy { now_ms } if self.joined => {
                self.follow(now_ms, &mut fx);
                fx.push(TabEffect::RequestLock {
                    wait: true,
                    steal: false,
                });
            }
            TabInput::LockLost { now_ms } if self.role == Role::Leader => {
                self.resign(&mut fx);
                self.follow(now_ms, &mut fx);
                fx.push(TabEffect::RequestLock {
                    wait: true,
                    steal: false,
                });
            }
            TabInput::Received { message, now_ms } if self.role != Role::Solo => {
                self.received(message, now_ms, &mut fx)
            }
            TabInput::Malformed => fx.push(TabEffect::WarnOnce(MALFORMED)),
            TabInput::Connected { connected, now_ms }
                if self.role == Role::Leader && connected != self.connected =>
            {
                self.connected = connected;
                self.beat(now_ms, &mut fx);
            }
            TabInput::Tick { unfinished, now_ms } => self.tick(unfinished, now_ms, &mut fx),
            TabInput::Leave { rejoin } if self.joined => {
                self.joined = false;
                self.stealing = false;
                if self.role == Role::Leader {
                    self.resign(&mut fx);
                    self.connected = false;
                    self.set_peers(false, &mut fx);
                    if rejoin {
                        self.set_role(Role::Follower, &mut fx);
                        fx.push(TabEffect::Carrier { ready: false });
                    }
                }
                if !rejoin {
                    self.set_role(Role::Solo, &mut fx);
                    self.leader = None;
                    self.connected = false;
                }
                fx.push(TabEffect::ReleaseLock);
            }
            TabInput::Send {
                correlation_id,
                text,
            } => match (self.role, &self.leader) {
                (Role::Follower, Some(leader)) => fx.push(TabEffect::Post(Message::Send {
                    from: self.tab,
                    epoch: leader.epoch,
                    correlation_id,
                    text,
                })),
                (Role::Leader, _) => self.owns(correlation_id, self.tab),
                _ => {}
            },
            TabInput::Frame {
                correlation_id,
                own,
                text,
            } => self.frame(correlation_id, own, text, &mut fx),
            _ => {}
        }
        fx
    }

    pub(super) fn set_role(&mut self, role: Role, fx: &mut Fx<impl Clone>) {
        if role != self.role {
            fx.push(TabEffect::Role {
                previous: self.role,
                current: role,
            });
            self.role = role;
        }
    }

    /// The lock is this tab's: a new leadership, announced at once; the
    /// session moves onto this tab's own socket.
    pub(super) fn lead<S: Clone>(&mut self, now_ms: f64, fx: &mut Fx<S>) {
        self.stealing = false;
        self.epoch = self.epoch.saturating_add(1).min(MAX_TAB_ID);
        self.leader = Some(Leadership {
            epoch: self.epoch,
            tab: self.tab,
        });
        self.connected = false;
        self.owners.clear();
        self.peers.clear();
        self.set_peers(false, fx);
        let was = self.role;
        self.set_role(Role::Leader, fx);
        if was == Role::Follower {
            fx.push(TabEffect::Carrier { ready: false });
        }
        fx.push(TabEffect::Carrier { ready: true });
        self.beat(now_ms, fx);
    }

    /// Another tab leads (or will): the session waits for it; a hello asks
    /// the leader to beat now.
    pub(super) fn follow<S: Clone>(&mut self, now_ms: f64, fx: &mut Fx<S>) {
        let was = self.role;
        self.set_role(Role::Follower, fx);
        self.heard_ms = now_ms;
        if was == Role::Leader {
            self.connected = false;
            self.set_peers(false, fx);
            fx.push(TabEffect::Carrier { ready: false });
        }
        self.ack(false, now_ms, fx);
    }

    /// Tells the leader (or, with no leader yet, whoever leads: a hello)
    /// whether this tab has requests unfinished.
    pub(super) fn ack<S: Clone>(&mut self, unfinished: bool, now_ms: f64, fx: &mut Fx<S>) {
        self.acked_ms = now_ms;
        fx.push(TabEffect::Post(Message::Ack {
            from: self.tab,
            epoch: self.leader.as_ref().map_or(0, |l| l.epoch),
            unfinished,
        }));
    }

    pub(super) fn resign<S: Clone>(&mut self, fx: &mut Fx<S>) {
        if let Some(leader) = self.leader.take() {
            fx.push(TabEffect::Post(Message::Resign { leader }));
        }
    }

    pub(super) fn beat<S: Clone>(&mut self, now_ms: f64, fx: &mut Fx<S>) {
        self.heard_ms = now_ms;
        if let Some(leader) = &self.leader {
            fx.push(TabEffect::Post(Message::Beat {
                leader: *leader,
                connected: self.connected,
            }));
        }
    }

    pub(super) fn set_peers<S: Clone>(&mut self, unfinished: bool, fx: &mut Fx<S>) {
        if unfinished != self.peers_unfinished {
            self.peers_unfinished = unfinished;
            fx.push(TabEffect::Peers(unfinished));
        }
    }

    pub(super) fn tick<S: Clone>(&mut self, unfinished: bool, now_ms: f64, fx: &mut Fx<S>) {
        let Some(due) = self.next_wakeup() else {
            return;
        };
        if now_ms < due {
            return;
        }
        match self.role {
            Role::Leader => {
                // Followers not heard from for a takeover delay are gone.
                self.peers
                    .retain(|(_, _, heard)| now_ms - heard < TAKEOVER_AFTER_MS);
                let any = self.peers.iter().any(|(_, u, _)| *u);
                self.set_peers(any, fx);
                self.beat(now_ms, fx);
            }
            Role::Follower => {
                if now_ms >= self.acked_ms + HEARTBEAT_MS {
                    self.ack(unfinished, now_ms, fx);
                }
                if !self.stealing && now_ms >= self.heard_ms + TAKEOVER_AFTER_MS + self.jitter_ms {
                    // This tab's own wake-up ran late (a machine that slept,
                    // a long task): the beats it missed may still be on their
                    // way, so the leader gets one beat period to be heard,
                    // once per silence.
                    let late = now_ms - due > HEARTBEAT_MS;
                    if late && self.heard_ms != self.graced_ms {
                        self.heard_ms = now_ms + HEARTBEAT_MS - TAKEOVER_AFTER_MS - self.jitter_ms;
                        self.graced_ms = self.heard_ms;
                        return;
                    }
                    // The leader is silent: take over.
                    self.stealing = true;
                    fx.push(TabEffect::RequestLock {
                        wait: false,
                        steal: true,
                    });
                }
            }
            Role::Solo => {}
        }
    }
}
