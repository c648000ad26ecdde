-- V1: the old school system. Every person table has its own bigint key,
-- one full_name, an email (missing, shared, duplicated, oddly cased and
-- spaced: whatever people typed over the years), a phone in any format
-- and a password hash. courses are class sections taught by a teacher;
-- journal holds the enrollments and grades. Like the real system, journal
-- and courses have no foreign keys, and some of their rows point at
-- students, courses or teachers that were deleted long ago.
set client_min_messages = warning;
drop table if exists journal, courses, students, parents, teachers, schools cascade;

create table schools (
	id		bigserial primary key,
	name		text not null,
	city		text,
	founded		date,
	created_at	timestamptz not null default now()
);

create table teachers (
	id		bigserial primary key,
	school_id	bigint references schools,
	full_name	text not null,
	email		text,
	phone		text,
	password_hash	text,
	hired_on	date
);

create table parents (
	id		bigserial primary key,
	full_name	text not null,
	email		text,
	phone		text,
	password_hash	text
);

create table students (
	id		bigserial primary key,
	school_id	bigint references schools,
	parent_id	bigint references parents,
	full_name	text not null,
	email		text,
	phone		text,
	password_hash	text,
	birth_date	date,
	grade_level	int
);

create table courses (
	id		bigserial primary key,
	school_id	bigint,
	teacher_id	bigint,		-- no foreign key: teachers come and go
	title		text not null,
	term		text,
	room		text
);

create table journal (
	id		bigserial primary key,
	student_id	bigint,		-- no foreign keys, as in the real case
	course_id	bigint,
	grade		numeric(5,2),
	created_at	timestamptz not null
);
