//! What a tab does with a message from another tab, and where the leader
//! sends each frame of its socket.

use alloc::string::String;

use super::{CrossTab, Fx, Message, Role, TabEffect, TabId, MAX_OWNERS, MAX_PEERS, MAX_TAB_ID};

impl CrossTab {
    pub(super) fn received<S: Clone>(&mut self, message: Message<S>, now_ms: f64, fx: &mut Fx<S>) {
        match message {
            Message::Beat { leader, connected } => {
                if self.leader.as_ref().is_some_and(|l| *l == leader) {
                    if self.role == Role::Follower {
                        self.heard_ms = now_ms;
                        self.stealing = false;
                        if connected != self.connected {
                            self.connected = connected;
                            fx.push(TabEffect::Carrier { ready: connected });
                        }
                    }
                    return;
                }
                let newer =
                    leader.epoch >= self.epoch && self.leader.as_ref().is_none_or(|l| leader > *l);
                if !newer {
                    return; // an older leadership's
                }
                self.epoch = leader.epoch;
                if self.role == Role::Leader {
                    // Another tab took over: this one follows it.
                    self.leader = None;
                    self.follow(now_ms, fx);
                    fx.push(TabEffect::ReleaseLock);
                    fx.push(TabEffect::RequestLock {
                        wait: true,
                        steal: false,
                    });
                }
                let moved = self.leader.is_some() && self.connected;
                self.leader = Some(leader);
                self.heard_ms = now_ms;
                self.stealing = false;
                if moved {
                    // The old leader's connection is gone with it.
                    fx.push(TabEffect::Carrier { ready: false });
                }
                self.connected = connected;
                if connected {
                    fx.push(TabEffect::Carrier { ready: true });
                }
            }
            Message::Resign { leader } => {
                if self.role == Role::Follower && self.leader.as_ref() == Some(&leader) {
                    self.leader = None;
                    self.heard_ms = now_ms;
                    if core::mem::take(&mut self.connected) {
                        fx.push(TabEffect::Carrier { ready: false });
                    }
                }
            }
            Message::Ack {
                from,
                epoch,
                unfinished,
            } => {
                if self.role != Role::Leader {
                    return;
                }
                self.heard(from, unfinished, now_ms);
                if epoch > self.epoch {
                    // A tab that followed a newer leadership than this
                    // one's (it was away when this tab took the free
                    // lock): this leadership moves past it.
                    self.epoch = epoch.saturating_add(1).min(MAX_TAB_ID);
                    if let Some(leader) = &mut self.leader {
                        leader.epoch = self.epoch;
                    }
                }
                if epoch != self.epoch {
                    // A hello, or a tab behind: it hears the leader now.
                    self.beat(now_ms, fx);
                }
                let any = self.peers.iter().any(|(_, u, _)| *u);
                self.set_peers(any, fx);
            }
            Message::Send {
                from,
                epoch,
                correlation_id,
                text,
            } => {
                if self.role != Role::Leader || epoch != self.epoch {
                    return; // sent to another leadership: resent after the change
                }
                self.heard(from, true, now_ms);
                self.set_peers(true, fx);
                self.owns(correlation_id, from);
                fx.push(TabEffect::Transmit(text));
            }
            Message::Frame { leader, to, text } => {
                let current = self.leader.as_ref() == Some(&leader);
                let mine = to.is_none_or(|to| to == self.tab);
                if self.role == Role::Follower && current && mine {
                    self.heard_ms = now_ms;
                    fx.push(TabEffect::LinkFrame(text));
                }
            }
        }
    }

    /// In the leader: the frames of `correlation_id` go to `tab` (this one
    /// for its own requests). An id is listed once: sent again, it moves to
    /// the end; when the list is full, the oldest is forgotten.
    pub(super) fn owns(&mut self, correlation_id: String, tab: TabId) {
        let again = self.owners.iter().position(|(id, _)| *id == correlation_id);
        let full = self.owners.len() >= MAX_OWNERS;
        if let Some(i) = again.or(full.then_some(0)) {
            self.owners.remove(i);
        }
        self.owners.push((correlation_id, tab));
    }

    /// In the leader: follower `from` was heard, with requests unfinished
    /// or not.
    fn heard(&mut self, from: TabId, unfinished: bool, now_ms: f64) {
        match self.peers.iter_mut().find(|(tab, _, _)| *tab == from) {
            Some(peer) => *peer = (from, unfinished, now_ms),
            None => {
                if self.peers.len() >= MAX_PEERS {
                    let oldest = self
                        .peers
                        .iter()
                        .enumerate()
                        .min_by(|(_, a), (_, b)| a.2.total_cmp(&b.2))
                        .map(|(at, _)| at);
                    if let Some(at) = oldest {
                        self.peers.swap_remove(at);
                    }
                }
                self.peers.push((from, unfinished, now_ms));
            }
        }
    }

    pub(super) fn frame<S: Clone>(
        &mut self,
        correlation_id: Option<String>,
        own: bool,
        text: S,
        fx: &mut Fx<S>,
    ) {
        if self.role != Role::Leader {
            return fx.push(TabEffect::DeliverHere);
        }
        let owner = correlation_id.as_deref().and_then(|id| {
            self.owners
                .iter()
                .find(|(cid, _)| cid == id)
                .map(|(_, tab)| *tab)
        });
        // Whether it is delivered here, and where else it goes (`Some(None)`:
        // every tab).
        let (here, post) = match owner {
            // This tab's own request, even one its session let go of.
            Some(tab) if tab == self.tab => (true, None),
            Some(tab) => (own, Some(Some(tab))),
            // No tab is known to have sent it: every tab.
            None => (true, (!own).then_some(None)),
        };
        if here {
            fx.push(TabEffect::DeliverHere);
        }
        if let (Some(to), Some(leader)) = (post, &self.leader) {
            fx.push(TabEffect::Post(Message::Frame {
                leader: *leader,
                to,
                text,
            }));
        }
    }
}
