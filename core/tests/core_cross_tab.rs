//! One connection shared by the tabs of one origin: the election (the first
//! tab to join leads; the others follow and wait for the lock), epochs (a
//! tab ignores an older leadership), the leader's beats and a follower's
//! takeover when they stop, the traffic (a follower's envelope goes out on
//! the leader's socket; each frame goes back to the tab that owns its
//! correlationId, to every tab when unknown), leaving, bad messages, and
//! the session's side: its carrier coming and going, and other tabs'
//! requests counted by the stale rule. Time is injected.
#![cfg(not(target_arch = "wasm32"))]

mod common;
mod session;

use optave_core::connection::{ConnectionState as S, Input};
use optave_core::crosstab::{
    channel_name, header, read, CrossTab, Leadership, Message, Role, TabEffect, TabId, TabInput,
    HEARTBEAT_MS, MALFORMED, MAX_TAB_ID, TAKEOVER_AFTER_MS,
};

const A: TabId = 1;
const B: TabId = 2;
const C: TabId = 3;
const D: TabId = 4;
const F: TabId = 6;
const Z: TabId = 26;
use session::*;

type Fx = Vec<TabEffect<String>>;

fn leadership(epoch: u64, tab: TabId) -> Leadership {
    Leadership { epoch, tab }
}

fn beat(epoch: u64, tab: TabId, connected: bool) -> Message<String> {
    Message::Beat {
        leader: leadership(epoch, tab),
        connected,
    }
}

fn hear(tab: &mut CrossTab, message: Message<String>, now_ms: f64) -> Fx {
    tab.handle(TabInput::Received { message, now_ms })
}

fn posts(fx: &Fx) -> Vec<&Message<String>> {
    fx.iter()
        .filter_map(|e| match e {
            TabEffect::Post(m) => Some(m),
            _ => None,
        })
        .collect()
}

fn carriers(fx: &Fx) -> Vec<bool> {
    fx.iter()
        .filter_map(|e| match e {
            TabEffect::Carrier { ready } => Some(*ready),
            _ => None,
        })
        .collect()
}

fn role_change(fx: &Fx) -> Option<(Role, Role)> {
    fx.iter().find_map(|e| match e {
        TabEffect::Role { previous, current } => Some((*previous, *current)),
        _ => None,
    })
}

/// A tab that joined and was granted the lock: the leader of epoch 1, its
/// connection open.
fn leader(tab: TabId) -> CrossTab {
    let mut t = CrossTab::new(tab, 0.0);
    t.handle::<String>(TabInput::Join { now_ms: T0 });
    t.handle::<String>(TabInput::LockGranted { now_ms: T0 });
    t.handle::<String>(TabInput::Connected {
        connected: true,
        now_ms: T0,
    });
    t
}

/// A tab that joined, found the lock busy, and heard leader `a`'s beat
/// (epoch 1, connected).
fn follower(tab: TabId) -> CrossTab {
    let mut t = CrossTab::new(tab, 0.0);
    t.handle::<String>(TabInput::Join { now_ms: T0 });
    t.handle::<String>(TabInput::LockBusy { now_ms: T0 });
    hear(&mut t, beat(1, A, true), T0);
    t
}

#[test]
fn the_channel_is_named_by_url_tenant_organization_and_key() {
    let a = channel_name("wss://x/ws", Some("t"), Some("o"), "agent-1");
    assert_eq!(a, r#"optave-client:["wss://x/ws","t","o","agent-1"]"#);
    assert_ne!(
        a,
        channel_name("wss://x/ws", Some("t"), Some("o"), "agent-2")
    );
    assert_ne!(a, channel_name("wss://x/ws", None, Some("o"), "agent-1"));
    // A key cannot forge the separators.
    assert_ne!(
        channel_name("u", Some("a"), None, "b"),
        channel_name("u", Some("a\",\"b"), None, "")
    );
}

#[test]
fn a_tab_is_solo_until_it_joins_and_the_first_to_join_leads() {
    let mut t = CrossTab::new(A, 0.0);
    assert_eq!(t.role(), Role::Solo);
    assert_eq!(t.next_wakeup(), None);
    let fx = t.handle::<String>(TabInput::Join { now_ms: T0 });
    assert_eq!(
        fx,
        vec![TabEffect::RequestLock {
            wait: false,
            steal: false
        }]
    );
    let fx = t.handle::<String>(TabInput::LockGranted { now_ms: T0 });
    assert_eq!(role_change(&fx), Some((Role::Solo, Role::Leader)));
    assert_eq!(carriers(&fx), vec![true], "its session may open its socket");
    assert_eq!(posts(&fx), vec![&beat(1, A, false)]);
    assert_eq!(t.next_wakeup(), Some(T0 + HEARTBEAT_MS));
    // The connection opens: announced at once, then beaten every second.
    let fx = t.handle::<String>(TabInput::Connected {
        connected: true,
        now_ms: T0 + 10.0,
    });
    assert_eq!(posts(&fx), vec![&beat(1, A, true)]);
    let fx = t.handle::<String>(TabInput::Tick {
        unfinished: false,
        now_ms: T0 + 10.0 + HEARTBEAT_MS,
    });
    assert_eq!(posts(&fx), vec![&beat(1, A, true)]);
}

#[test]
fn a_follower_mirrors_the_leaders_connection() {
    let mut t = CrossTab::new(B, 0.0);
    t.handle::<String>(TabInput::Join { now_ms: T0 });
    let fx = t.handle::<String>(TabInput::LockBusy { now_ms: T0 });
    assert_eq!(role_change(&fx), Some((Role::Solo, Role::Follower)));
    assert!(fx.contains(&TabEffect::RequestLock {
        wait: true,
        steal: false
    }));
    // A hello: the leader answers with a beat.
    assert!(matches!(posts(&fx)[..], [Message::Ack { epoch: 0, .. }]));
    assert!(!t.leader_connected());
    let fx = hear(&mut t, beat(1, A, false), T0 + 5.0);
    assert!(carriers(&fx).is_empty(), "not connected: nothing to open");
    let fx = hear(&mut t, beat(1, A, true), T0 + 10.0);
    assert_eq!(carriers(&fx), vec![true]);
    assert!(t.leader_connected());
    let fx = hear(&mut t, beat(1, A, false), T0 + 20.0);
    assert_eq!(carriers(&fx), vec![false], "the leader is retrying");
    assert!(!t.leader_connected());
}

#[test]
fn an_older_leadership_is_ignored_and_a_newer_one_followed() {
    let mut t = follower(B);
    let fx = hear(&mut t, beat(0, Z, false), T0 + 1.0);
    assert!(fx.is_empty(), "epoch 0 is older than 1");
    assert!(t.leader_connected());
    // A newer leader: the old one's connection is gone with it.
    let fx = hear(&mut t, beat(2, C, true), T0 + 2.0);
    assert_eq!(carriers(&fx), vec![false, true]);
    // The old leader, late: ignored.
    assert!(hear(&mut t, beat(1, A, false), T0 + 3.0).is_empty());
    assert!(t.leader_connected());
}

#[test]
fn a_silent_leader_is_replaced_by_a_steal_with_a_higher_epoch() {
    let mut t = follower(B);
    let due = T0 + TAKEOVER_AFTER_MS;
    // Acks go out every beat period while waiting.
    let fx = t.handle::<String>(TabInput::Tick {
        unfinished: true,
        now_ms: T0 + HEARTBEAT_MS,
    });
    assert!(matches!(
        posts(&fx)[..],
        [Message::Ack {
            epoch: 1,
            unfinished: true,
            ..
        }]
    ));
    let fx = t.handle::<String>(TabInput::Tick {
        unfinished: true,
        now_ms: due,
    });
    assert!(fx.contains(&TabEffect::RequestLock {
        wait: false,
        steal: true
    }));
    let fx = t.handle::<String>(TabInput::LockGranted { now_ms: due + 5.0 });
    assert_eq!(role_change(&fx), Some((Role::Follower, Role::Leader)));
    assert_eq!(
        carriers(&fx),
        vec![false, true],
        "the link goes, the tab's own socket comes"
    );
    assert_eq!(posts(&fx), vec![&beat(2, B, false)]);
}

/// A follower whose own wake-up runs late (the machine slept, a long task)
/// gives the leader one beat period to be heard before taking over: a beat
/// in that time keeps it following; a leader still silent after it is
/// replaced. Once per silence: a second late wake-up takes over at once.
#[test]
fn a_follower_waking_late_gives_the_leader_one_beat_before_taking_over() {
    let steal = TabEffect::RequestLock {
        wait: false,
        steal: true,
    };
    let late = T0 + 60_000.0;
    // The leader is heard within the beat period: no takeover.
    let mut t = follower(B);
    let fx = t.handle::<String>(TabInput::Tick {
        unfinished: false,
        now_ms: late,
    });
    assert!(!fx.contains(&steal), "stole on a late wake-up: {fx:?}");
    assert_eq!(t.next_wakeup(), Some(late + HEARTBEAT_MS));
    hear(&mut t, beat(1, A, true), late + 200.0);
    let fx = t.handle::<String>(TabInput::Tick {
        unfinished: false,
        now_ms: late + HEARTBEAT_MS,
    });
    assert!(!fx.contains(&steal), "{fx:?}");
    assert_eq!(t.role(), Role::Follower);
    // Still silent one beat period later: takeover.
    let mut t = follower(B);
    t.handle::<String>(TabInput::Tick {
        unfinished: false,
        now_ms: late,
    });
    let fx = t.handle::<String>(TabInput::Tick {
        unfinished: false,
        now_ms: late + HEARTBEAT_MS,
    });
    assert!(fx.contains(&steal), "{fx:?}");
    // Late again without a word since: no second grace.
    let mut t = follower(B);
    t.handle::<String>(TabInput::Tick {
        unfinished: false,
        now_ms: late,
    });
    let fx = t.handle::<String>(TabInput::Tick {
        unfinished: false,
        now_ms: late + 60_000.0,
    });
    assert!(fx.contains(&steal), "{fx:?}");
}

#[test]
fn beats_keep_a_follower_from_taking_over() {
    let mut t = follower(B);
    for i in 1..=10 {
        let now = T0 + f64::from(i) * HEARTBEAT_MS;
        hear(&mut t, beat(1, A, true), now);
        let fx = t.handle::<String>(TabInput::Tick {
            unfinished: false,
            now_ms: now,
        });
        assert!(!fx
            .iter()
            .any(|e| matches!(e, TabEffect::RequestLock { .. })));
    }
    assert_eq!(t.role(), Role::Follower);
}

#[test]
fn a_leader_whose_lock_is_stolen_resigns_and_follows() {
    let mut t = leader(A);
    let fx = t.handle::<String>(TabInput::LockLost { now_ms: T0 + 50.0 });
    assert_eq!(role_change(&fx), Some((Role::Leader, Role::Follower)));
    assert!(posts(&fx).contains(&&Message::Resign {
        leader: leadership(1, A)
    }));
    assert_eq!(carriers(&fx), vec![false], "its socket closes");
    assert!(fx.contains(&TabEffect::RequestLock {
        wait: true,
        steal: false
    }));
}

#[test]
fn a_leader_that_hears_a_newer_leader_steps_down() {
    let mut t = leader(A);
    let fx = hear(&mut t, beat(2, B, true), T0 + 50.0);
    assert_eq!(role_change(&fx), Some((Role::Leader, Role::Follower)));
    assert_eq!(carriers(&fx), vec![false, true]);
    assert!(fx.contains(&TabEffect::ReleaseLock));
    // An older one does not move it.
    let mut t = leader(A);
    assert!(hear(&mut t, beat(0, B, true), T0 + 50.0).is_empty());
    assert_eq!(t.role(), Role::Leader);
}

#[test]
fn a_resign_lets_the_next_leader_in_at_once() {
    let mut t = follower(B);
    let fx = hear(
        &mut t,
        Message::Resign {
            leader: leadership(1, A),
        },
        T0 + 10.0,
    );
    assert_eq!(carriers(&fx), vec![false]);
    // The queued lock comes to this tab: epoch 2.
    let fx = t.handle::<String>(TabInput::LockGranted { now_ms: T0 + 12.0 });
    assert_eq!(posts(&fx), vec![&beat(2, B, false)]);
}

#[test]
fn a_leader_that_took_a_free_lock_moves_past_an_epoch_it_never_heard() {
    // Tab "d" took the free lock (epoch 1) while "f" was away; "f" still
    // follows epoch 5.
    let mut d = CrossTab::new(D, 0.0);
    d.handle::<String>(TabInput::Join { now_ms: T0 });
    d.handle::<String>(TabInput::LockGranted { now_ms: T0 });
    let fx = hear(
        &mut d,
        Message::Ack {
            from: F,
            epoch: 5,
            unfinished: false,
        },
        T0 + 1.0,
    );
    assert_eq!(posts(&fx), vec![&beat(6, D, false)]);
}

#[test]
fn a_followers_envelope_goes_out_on_the_leaders_socket() {
    let mut b = follower(B);
    let fx = b.handle(TabInput::Send {
        correlation_id: "c-1".into(),
        text: "{envelope}".to_string(),
    });
    let sent = Message::Send {
        from: B,
        epoch: 1,
        correlation_id: "c-1".into(),
        text: "{envelope}".into(),
    };
    assert_eq!(posts(&fx), vec![&sent]);

    let mut a = leader(A);
    let fx = hear(&mut a, sent.clone(), T0 + 1.0);
    assert!(fx.contains(&TabEffect::Transmit("{envelope}".into())));
    assert!(
        fx.contains(&TabEffect::Peers(true)),
        "the stale rule counts it"
    );
    // Sent to another leadership: not sent (the follower resends after the change).
    let mut a2 = leader(A);
    let stale = Message::Send {
        from: B,
        epoch: 7,
        correlation_id: "c-2".into(),
        text: "x".into(),
    };
    assert!(hear(&mut a2, stale, T0).is_empty());
}

#[test]
fn each_frame_goes_to_the_tab_that_owns_its_correlation_id() {
    let mut a = leader(A);
    hear(
        &mut a,
        Message::Send {
            from: B,
            epoch: 1,
            correlation_id: "of-b".into(),
            text: "e".into(),
        },
        T0,
    );
    let frame = |a: &mut CrossTab, id: Option<&str>, own: bool| {
        a.handle(TabInput::Frame {
            correlation_id: id.map(String::from),
            own,
            text: "f".to_string(),
        })
    };
    // Another tab's: to that tab only.
    let fx = frame(&mut a, Some("of-b"), false);
    assert!(!fx.contains(&TabEffect::DeliverHere));
    assert_eq!(
        posts(&fx),
        vec![&Message::Frame {
            leader: leadership(1, A),
            to: Some(B),
            text: "f".into()
        }]
    );
    // The leader's own: here only.
    let fx = frame(&mut a, Some("mine"), true);
    assert_eq!(fx, vec![TabEffect::DeliverHere]);
    // Unknown: here and to every tab.
    let fx = frame(&mut a, Some("unknown"), false);
    assert!(fx.contains(&TabEffect::DeliverHere));
    assert!(matches!(posts(&fx)[..], [Message::Frame { to: None, .. }]));
    let fx = frame(&mut a, None, false);
    assert!(matches!(posts(&fx)[..], [Message::Frame { to: None, .. }]));

    // A follower takes frames for itself or for everyone, from its leader.
    let mut b = follower(B);
    let to = |to: Option<TabId>, epoch| Message::Frame {
        leader: leadership(epoch, A),
        to,
        text: "f".to_string(),
    };
    assert_eq!(
        hear(&mut b, to(Some(B), 1), T0),
        vec![TabEffect::LinkFrame("f".into())]
    );
    assert_eq!(
        hear(&mut b, to(None, 1), T0),
        vec![TabEffect::LinkFrame("f".into())]
    );
    assert!(hear(&mut b, to(Some(C), 1), T0).is_empty());
    assert!(
        hear(&mut b, to(Some(B), 0), T0).is_empty(),
        "an older leader's"
    );
}

/// The leader remembers its own sends: a late frame of its own request
/// (after its session let go of it: a timeout, a cancel, an early
/// settlement) stays in the leader's tab; it never reaches the followers.
#[test]
fn a_late_frame_of_the_leaders_own_request_stays_in_the_leader() {
    let mut a = leader(A);
    let fx = a.handle(TabInput::Send {
        correlation_id: "mine".into(),
        text: "e".to_string(),
    });
    assert!(fx.is_empty(), "the leader's own send is no message: {fx:?}");
    let frame = |a: &mut CrossTab, own: bool| {
        a.handle(TabInput::Frame {
            correlation_id: Some("mine".into()),
            own,
            text: "f".to_string(),
        })
    };
    assert_eq!(frame(&mut a, true), vec![TabEffect::DeliverHere]);
    assert_eq!(
        frame(&mut a, false),
        vec![TabEffect::DeliverHere],
        "late: here only"
    );
    // A follower's request with the same id later: its frames go to it.
    hear(
        &mut a,
        Message::Send {
            from: B,
            epoch: 1,
            correlation_id: "mine".into(),
            text: "e".into(),
        },
        T0,
    );
    assert!(matches!(
        posts(&frame(&mut a, false))[..],
        [Message::Frame { to: Some(B), .. }]
    ));
}

#[test]
fn followers_with_unfinished_requests_count_until_they_go_quiet() {
    let mut a = leader(A);
    let ack = |u| Message::Ack {
        from: B,
        epoch: 1,
        unfinished: u,
    };
    let fx = hear(&mut a, ack(true), T0 + 100.0);
    assert_eq!(
        fx.iter()
            .filter(|e| matches!(e, TabEffect::Peers(_)))
            .collect::<Vec<_>>(),
        vec![&TabEffect::Peers(true)]
    );
    let fx = hear(&mut a, ack(false), T0 + 200.0);
    assert!(fx.contains(&TabEffect::Peers(false)));
    hear(&mut a, ack(true), T0 + 300.0);
    // The follower goes quiet (closed without a word): forgotten.
    let mut now = T0 + 300.0;
    let mut cleared = false;
    while now < T0 + 300.0 + 2.0 * TAKEOVER_AFTER_MS {
        now += HEARTBEAT_MS;
        let fx = a.handle::<String>(TabInput::Tick {
            unfinished: false,
            now_ms: now,
        });
        cleared |= fx.contains(&TabEffect::Peers(false));
    }
    assert!(cleared);
}

#[test]
fn leaving_hands_the_connection_over() {
    // pagehide or freeze: the leader resigns, releases the lock, follows.
    let mut a = leader(A);
    let fx = a.handle::<String>(TabInput::Leave { rejoin: true });
    assert!(posts(&fx).contains(&&Message::Resign {
        leader: leadership(1, A)
    }));
    assert!(fx.contains(&TabEffect::ReleaseLock));
    assert_eq!(carriers(&fx), vec![false]);
    assert_eq!(a.role(), Role::Follower);
    assert_eq!(a.next_wakeup(), None, "away: no takeover");
    // Back: asks for the lock again.
    let fx = a.handle::<String>(TabInput::Join { now_ms: T0 + 9.0 });
    assert_eq!(
        fx,
        vec![TabEffect::RequestLock {
            wait: false,
            steal: false
        }]
    );
    // close(): solo.
    let mut a = leader(A);
    let fx = a.handle::<String>(TabInput::Leave { rejoin: false });
    assert_eq!(role_change(&fx), Some((Role::Leader, Role::Solo)));
    assert!(carriers(&fx).is_empty(), "the session closes on its own");
    let mut b = follower(B);
    b.handle::<String>(TabInput::Leave { rejoin: false });
    assert_eq!(b.role(), Role::Solo);
    assert!(hear(&mut b, beat(1, A, true), T0).is_empty());
}

#[test]
fn a_malformed_message_is_reported_to_be_logged() {
    let mut t = follower(B);
    assert_eq!(
        t.handle::<String>(TabInput::Malformed),
        vec![TabEffect::WarnOnce(MALFORMED)]
    );
    assert!(t.leader_connected(), "nothing else changes");
}

#[test]
fn the_session_waits_for_its_carrier_and_resends_through_the_next() {
    let mut rig = Rig::connected(config());
    rig.send_now("r1", Some(1), T0 + 1.0);
    let fx = rig.on(Input::Carrier {
        ready: false,
        now_ms: T0 + 10.0,
    });
    assert_eq!(rig.s.state(), S::Disconnected);
    let l = lines(&fx);
    assert!(l.contains(&"release".to_string()), "{l:?}");
    assert!(rejected(&fx).is_empty(), "kept to be resent");
    // No retry of its own, however long it waits.
    let later = T0 + 4_000.0; // before the request's 5 s deadline
    let fx = rig.on(Input::Tick { now_ms: later });
    assert!(!lines(&fx).iter().any(|l| l.starts_with("start")), "{fx:?}");
    assert_eq!(rig.s.state(), S::Disconnected);
    let fx = rig.on(Input::Carrier {
        ready: true,
        now_ms: later + 20.0,
    });
    assert_eq!(rig.s.state(), S::Connecting);
    assert!(lines(&fx).contains(&"start 2".to_string()));
    let fx = rig.open(2, later + 30.0);
    assert_eq!(sent(&fx).len(), 1, "the same request, resent");
    assert_eq!(sent(&fx)[0].1, envelope("r1"));
}

#[test]
fn other_tabs_requests_count_for_the_stale_rule() {
    let mut rig = Rig::connected(live_config());
    assert_eq!(rig.s.stale_at(), None);
    rig.on(Input::Peers {
        unfinished: true,
        now_ms: T0 + 100.0,
    });
    assert_eq!(rig.s.stale_at(), Some(T0 + 100.0 + STALE_MS));
    rig.on(Input::Peers {
        unfinished: false,
        now_ms: T0 + 200.0,
    });
    assert_eq!(rig.s.stale_at(), None);
}

#[test]
fn every_message_reads_back_from_its_header_and_text() {
    let text = || Some("{\"envelope\":1}".to_string());
    let all = [
        beat(3, MAX_TAB_ID, true),
        Message::Resign {
            leader: leadership(u64::from(u32::MAX) + 7, A),
        },
        Message::Ack {
            from: B,
            epoch: 0,
            unfinished: true,
        },
        Message::Send {
            from: B,
            epoch: 3,
            correlation_id: "0194-\u{e9}".into(),
            text: text().unwrap_or_default(),
        },
        Message::Frame {
            leader: leadership(3, A),
            to: Some(B),
            text: text().unwrap_or_default(),
        },
        Message::Frame {
            leader: leadership(3, A),
            to: None,
            text: text().unwrap_or_default(),
        },
    ];
    for m in all {
        let h = header(&m);
        assert!(h.starts_with("{\"sdk\":\"optave-client\",\"t\":"), "{h}");
        let carries = matches!(m, Message::Send { .. } | Message::Frame { .. });
        let back = read(&h, if carries { text() } else { None });
        assert_eq!(back.as_ref(), Some(&m), "{h}");
    }
}

#[test]
fn anything_that_is_not_one_of_this_sdks_messages_reads_as_nothing() {
    let text = || Some("t".to_string());
    for h in [
        "",
        "not json",
        "[1]",
        "{}",
        r#"{"sdk":"another-lib","t":"beat","epoch":1,"tab":1,"connected":true}"#,
        r#"{"sdk":"optave-client","t":"hello"}"#,
        r#"{"sdk":"optave-client","t":"beat","epoch":-1,"tab":1,"connected":true}"#,
        r#"{"sdk":"optave-client","t":"beat","epoch":1.5,"tab":1,"connected":true}"#,
        r#"{"sdk":"optave-client","t":"beat","epoch":"1","tab":1,"connected":true}"#,
        r#"{"sdk":"optave-client","t":"beat","epoch":1,"tab":"5","connected":true}"#,
        r#"{"sdk":"optave-client","t":"beat","epoch":1,"tab":1,"connected":1}"#,
        r#"{"sdk":"optave-client","t":"beat","epoch":99999999999999999999999,"tab":1,"connected":true}"#,
        r#"{"sdk":"optave-client","t":"ack","from":2,"epoch":1}"#,
        r#"{"sdk":"optave-client","t":"frame","epoch":1,"tab":1,"to":"7"}"#,
        r#"{"sdk":"optave-client","t":"frame","epoch":1,"tab":9007199254740992}"#,
    ] {
        assert_eq!(read(h, text()), None, "{h}");
    }
    // A send or a frame without its text.
    let send = header(&Message::Send {
        from: B,
        epoch: 1,
        correlation_id: "c".into(),
        text: String::new(),
    });
    assert_eq!(read::<String>(&send, None), None);
}

#[test]
fn without_reconnection_a_carrier_that_goes_away_fails_the_session() {
    let mut cfg = config();
    cfg.reconnect = None;
    let mut rig = Rig::connected(cfg);
    rig.send_now("r1", Some(1), T0 + 1.0);
    let fx = rig.on(Input::Carrier {
        ready: false,
        now_ms: T0 + 10.0,
    });
    assert_eq!(rig.s.state(), S::Failed);
    assert_eq!(
        rejected(&fx).len(),
        1,
        "the request on the wire is rejected"
    );
    let fx = rig.on(Input::Carrier {
        ready: true,
        now_ms: T0 + 20.0,
    });
    assert!(fx.is_empty(), "failed stays failed: {fx:?}");
}

/// Acks from ever new tab ids (a flood on the channel) keep the leader's
/// list of followers bounded: the one heard from longest ago goes first,
/// and the followers still talking stay counted.
#[test]
fn the_leaders_list_of_followers_is_bounded() {
    use optave_core::crosstab::MAX_PEERS;
    let mut a = leader(A);
    hear(
        &mut a,
        Message::Ack {
            from: B,
            epoch: 1,
            unfinished: true,
        },
        T0,
    );
    for n in 0..(MAX_PEERS as u64 * 4) {
        let from = 1_000 + n;
        hear(
            &mut a,
            Message::Ack {
                from,
                epoch: 1,
                unfinished: false,
            },
            T0 + 1.0 + n as f64 * 0.001,
        );
        if n % 100 == 0 {
            // B keeps talking, with a request unfinished.
            hear(
                &mut a,
                Message::Ack {
                    from: B,
                    epoch: 1,
                    unfinished: true,
                },
                T0 + 1.0 + n as f64 * 0.001,
            );
        }
    }
    assert!(a.peer_count() <= MAX_PEERS, "{}", a.peer_count());
    let fx = a.handle::<String>(TabInput::Tick {
        unfinished: false,
        now_ms: T0 + 1_000.0,
    });
    assert!(
        !fx.contains(&TabEffect::Peers(false)),
        "B's unfinished request still counts: {fx:?}"
    );
}
